package keyquota.api.console;

import keyquota.application.auth.Principal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is signed in, as the header names them and the pages decide what to offer. What they may actually do is
 * decided by the application services, as for the API.
 */
public record SignedIn(Principal principal) {

    /** Whoever this request's security context holds, or null before sign-in. */
    public static SignedIn current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Principal principal
                ? new SignedIn(principal) : null;
    }

    public boolean operator() {
        return principal instanceof Principal.Operator;
    }

    public boolean tenantAdmin() {
        return principal instanceof Principal.Member member && member.isTenantAdmin();
    }

    /** The operator and tenant admins manage other members' keys and quotas. */
    public boolean manages() {
        return operator() || tenantAdmin();
    }

    public String userId() {
        return principal instanceof Principal.Member member ? member.userId() : null;
    }

    public String projectId() {
        return principal instanceof Principal.Member member ? member.projectId() : null;
    }

    public String role() {
        return principal instanceof Principal.Member member ? member.role().name() : "OPERATOR";
    }
}
