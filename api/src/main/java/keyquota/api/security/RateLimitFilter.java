package keyquota.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.error.ProblemWriter;
import keyquota.api.error.Problems;
import keyquota.application.auth.Principal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;

/**
 * Every API request authenticated by a member key or the operator key draws on that key's budget
 * ({@link RateLimits}), except {@code GET /api/v1/me} (a client asking who it is). The actuator and the API
 * description are not the API: a Prometheus scraping with the operator key must not lose its scrapes (and the
 * node its metrics) whenever the operator's automation is busy, nor spend that budget. Service keys are not limited:
 * cloud services verify on every call of their own users. An answer that drew carries RateLimit-Limit (the
 * bucket's size), RateLimit-Remaining and RateLimit-Reset (seconds until it is full again); an exhausted budget is
 * 429 RATE_LIMITED with Retry-After (seconds until the next request may go).
 */
class RateLimitFilter extends OncePerRequestFilter {

    static final String RATE_LIMITED = "RATE_LIMITED";
    private static final String API = "/api/";
    private static final String ME = "/api/v1/me";

    private final RateLimits limits;
    private final ProblemWriter problems;

    RateLimitFilter(RateLimits limits, ProblemWriter problems) {
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        UUID keyId = limitedKey(request);
        if (keyId != null) {
            RateLimits.Draw draw = limits.draw(keyId);
            response.setHeader("RateLimit-Limit", Long.toString(draw.limit()));
            response.setHeader("RateLimit-Remaining", Long.toString(draw.remaining()));
            response.setHeader("RateLimit-Reset", Long.toString(draw.resetSeconds()));
            if (!draw.allowed()) {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(draw.retryAfterSeconds()));
                problems.write(response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED,
                        "This key used its request budget; try again in " + draw.retryAfterSeconds() + " s."));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The key whose budget the request draws on, or null for one that draws on none. */
    private UUID limitedKey(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!limits.enabled() || !path.startsWith(API) || ("GET".equals(request.getMethod()) && ME.equals(path))) {
            return null;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof ApiKeyAuthentication key) {
            Principal principal = key.getPrincipal();
            if (principal instanceof Principal.Member member) {
                return member.keyId();
            }
            if (principal instanceof Principal.Operator operator) {
                return operator.keyId();
            }
        }
        return null;
    }
}
