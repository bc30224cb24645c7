package keyquota.api.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import keyquota.api.security.ApiKeyAuthentication;
import keyquota.application.auth.Authenticator;
import keyquota.application.auth.Verification;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.util.function.SingletonSupplier;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * A console session holds the id of the key it was signed in with, never the secret nor the principal: on every
 * request the key is read again by id, so a key deleted, expired or replaced (a role change deletes the member's
 * keys) ends its sessions at their next request on whichever node serves it.
 */
class SessionKeyRepository implements SecurityContextRepository {

    static final String KEY_ID = "keyquota.console.keyId";
    private static final String ENDED = SessionKeyRepository.class.getName() + ".ended";

    private final Authenticator authenticator;

    SessionKeyRepository(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** Why this request's session was ended (the key's verification code), or null. */
    static String endedBecause(HttpServletRequest request) {
        return (String) request.getAttribute(ENDED);
    }

    @Override
    @SuppressWarnings("deprecation")
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return loadDeferredContext(holder.getRequest()).get();
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        Supplier<SecurityContext> load = SingletonSupplier.of(() -> {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            HttpSession session = request.getSession(false);
            if (session == null || !(session.getAttribute(KEY_ID) instanceof String keyId)) {
                return context;
            }
            Verification verification = authenticator.verifyById(UUID.fromString(keyId));
            if (verification.valid()) {
                context.setAuthentication(new ApiKeyAuthentication(verification.principal()));
            } else {
                session.invalidate();
                request.setAttribute(ENDED, verification.code().name());
            }
            return context;
        });
        return new DeferredSecurityContext() {
            @Override
            public SecurityContext get() {
                return load.get();
            }

            @Override
            public boolean isGenerated() {
                return load.get().getAuthentication() == null;
            }
        };
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        Authentication authentication = context.getAuthentication();
        if (authentication instanceof ApiKeyAuthentication signedIn) {
            String keyId = signedIn.getPrincipal().keyId().toString();
            HttpSession session = request.getSession();
            if (!keyId.equals(session.getAttribute(KEY_ID))) {
                session.setAttribute(KEY_ID, keyId);
            }
        }
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(KEY_ID) != null;
    }
}
