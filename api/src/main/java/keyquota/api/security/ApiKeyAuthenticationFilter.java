package keyquota.api.security;

import keyquota.application.auth.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.error.DatabaseFailures;
import keyquota.api.error.ProblemWriter;
import keyquota.api.error.Problems;
import keyquota.application.auth.Authenticator;
import keyquota.application.auth.Verification;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Authenticates the {@code x-api-key} header (on the actuator also a bearer token). A request without a valid key
 * goes on unauthenticated and the entry point answers 401 where a key is needed, telling an expired key apart from
 * the rest.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "x-api-key";
    static final String FAILURE = ApiKeyAuthenticationFilter.class.getName() + ".failure";

    private static final String ACTUATOR = "/actuator/";
    private static final String BEARER = "Bearer ";

    static final String EXPIRES_HEADER = "Keyquota-Key-Expires";
    private static final Duration EXPIRY_WARNING = Duration.ofDays(7);

    private final Authenticator authenticator;
    private final ProblemWriter problems;
    private final Clock clock;

    ApiKeyAuthenticationFilter(Authenticator authenticator, ProblemWriter problems, Clock clock) {
        this.authenticator = authenticator;
        this.problems = problems;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presentedKey(request);
        if (presented != null) {
            Verification verification;
            try {
                verification = authenticator.verify(presented);
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                problems.write(response, Problems.unavailable());
                return;
            }
            if (verification.valid()) {
                SecurityContextHolder.getContext().setAuthentication(
                        new ApiKeyAuthentication(verification.principal()));
                warnOfExpiry(verification.principal(), response);
            } else {
                request.setAttribute(FAILURE, verification.code());
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * The x-api-key header, or on the actuator, without one, a bearer token: how Prometheus's scrape configuration
     * sends a credential. The API itself takes keys only as the contract says.
     */
    private static String presentedKey(HttpServletRequest request) {
        String key = request.getHeader(HEADER);
        if (key != null || !request.getRequestURI().startsWith(request.getContextPath() + ACTUATOR)) {
            return key;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).strip() : null;
    }

    /** Every answer to a member key that expires within a week says when, before its jobs start failing. */
    private void warnOfExpiry(Principal principal, HttpServletResponse response) {
        if (principal instanceof Principal.Member member
                && member.expiresAt().isBefore(clock.instant().plus(EXPIRY_WARNING))) {
            response.setHeader(EXPIRES_HEADER, DateTimeFormatter.ISO_INSTANT.format(member.expiresAt()));
        }
    }
}
