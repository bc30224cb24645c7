package keyquota.api.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.error.DatabaseFailures;
import keyquota.api.security.ApiKeyAuthentication;
import keyquota.application.auth.Authenticator;
import keyquota.application.auth.Verification;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.http.HttpMethod;

import java.io.IOException;

/**
 * {@code POST /sign-in} with the form field {@code key}: a member or operator key signs its holder in. Service keys
 * are for programs and do not. On success the session id changes (no fixation) and so does the CSRF token.
 */
class SignInFilter extends AbstractAuthenticationProcessingFilter {

    static final String PATH = "/sign-in";

    private final Authenticator authenticator;

    SignInFilter(Authenticator authenticator, SessionKeyRepository sessionKeys,
                 SessionAuthenticationStrategy sessionStrategy) {
        super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, PATH));
        this.authenticator = authenticator;
        setSecurityContextRepository(sessionKeys);
        setSessionAuthenticationStrategy(sessionStrategy);
        setAuthenticationSuccessHandler((request, response, authentication) -> response.sendRedirect("/"));
        setAuthenticationFailureHandler(SignInFilter::failed);
        setAuthenticationManager(authentication -> {
            throw new IllegalStateException("Keys are checked by the filter itself");
        });
    }

    @Override
    public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response) {
        String presented = request.getParameter("key");
        if (presented == null || presented.isBlank()) {
            throw new Refused("EMPTY");
        }
        Verification verification;
        try {
            verification = authenticator.verify(presented.strip());
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                throw new AuthenticationServiceException("The database is unavailable", e);
            }
            throw e;
        }
        if (!verification.valid()) {
            throw new Refused(verification.code().name());
        }
        if (verification.principal() instanceof keyquota.application.auth.Principal.Service) {
            throw new Refused("SERVICE_KEY");
        }
        return new ApiKeyAuthentication(verification.principal());
    }

    private static void failed(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof Refused refused) {
            // The key is not echoed back: the page shows only why it was refused.
            response.sendRedirect(PATH + "?error=" + refused.getMessage());
        } else {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        }
    }

    /** Why a key did not sign in; its message is the reason's message key. */
    private static final class Refused extends BadCredentialsException {
        Refused(String reason) {
            super(reason);
        }
    }
}
