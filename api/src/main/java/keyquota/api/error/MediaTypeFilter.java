package keyquota.api.error;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.List;

/**
 * Checks the media type headers before anything reads them: a Content-Type that is malformed, a wildcard or names
 * an unknown charset is 415, and a malformed Accept is 406; an API request whose Accept takes no JSON is 406 too,
 * before its command runs. Left to Spring MVC, some of these fail deep in message conversion as 500s, lose their
 * problem body, or are refused only after the command has changed something.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class MediaTypeFilter extends OncePerRequestFilter {

    private static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    private final ProblemWriter problems;

    public MediaTypeFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !isConcrete(contentType)) {
            problems.write(response, Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    Problems.codeFor(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
                    "Content-Type must be a concrete media type such as application/json."));
            return;
        }
        String accept = String.join(",", Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
        String path = request.getServletPath();
        if (!accept.isBlank() && !isAcceptable(accept, path.startsWith("/api/"), path.endsWith(".csv"))) {
            problems.write(response, Problems.of(HttpStatus.NOT_ACCEPTABLE, Problems.codeFor(HttpStatus.NOT_ACCEPTABLE),
                    "Accept must be well-formed and allow application/json or application/problem+json"
                            + " (text/csv for a .csv report)."));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isConcrete(String header) {
        try {
            MediaType type = MediaType.parseMediaType(header);
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return false;
            }
            String charset = type.getParameter("charset");
            return charset == null || Charset.isSupported(unquote(charset));
        } catch (IllegalArgumentException e) {  // a malformed type, or a malformed or unknown charset name
            return false;
        }
    }

    /**
     * Well-formed (quality values included), and for the API taking JSON or problem details, or for a CSV report
     * CSV (its refusals are problem details all the same).
     */
    private static boolean isAcceptable(String header, boolean api, boolean csv) {
        try {
            List<MediaType> accepted = MediaType.parseMediaTypes(header);
            accepted.forEach(MediaType::getQualityValue);
            return !api || accepted.stream().anyMatch(type -> type.getQualityValue() > 0
                    && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    || csv && type.isCompatibleWith(TEXT_CSV)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
