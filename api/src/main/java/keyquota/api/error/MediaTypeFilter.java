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
 * Checks the media type headers of API requests before anything reads them: a Content-Type that is malformed,
 * a wildcard or names an unknown charset is 415, and an Accept that is malformed or takes no JSON is 406. Left
 * to Spring MVC, some of these fail deep in message conversion as 500s.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class MediaTypeFilter extends OncePerRequestFilter {

    private final ProblemWriter problems;

    public MediaTypeFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
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
        if (!accept.isBlank() && !takesJson(accept)) {
            problems.write(response, Problems.of(HttpStatus.NOT_ACCEPTABLE, Problems.codeFor(HttpStatus.NOT_ACCEPTABLE),
                    "Answers are application/json or application/problem+json; Accept must allow one of them."));
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

    private static boolean takesJson(String header) {
        try {
            List<MediaType> accepted = MediaType.parseMediaTypes(header);
            return accepted.stream().anyMatch(type -> type.getQualityValue() > 0
                    && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
