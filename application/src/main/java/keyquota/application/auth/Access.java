package keyquota.application.auth;

import keyquota.application.auth.Principal.Member;
import keyquota.application.auth.Principal.Operator;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.projections.key.KeyView;

import java.util.Optional;

/**
 * Who may do what. A member key acts only inside its own project: any other project looks as if it did not
 * exist. Keys the caller may not see look as if they did not exist, too, so their ids reveal nothing.
 */
public final class Access {

    private Access() {
    }

    public static void ensureOperator(Principal principal) {
        if (!(principal instanceof Operator)) {
            throw new Forbidden("Only the platform operator may do this.");
        }
    }

    /** Usage of a service is reported by a service key of that service (or of all services), or the operator. */
    public static void ensureReportsUsageOf(Principal principal, String projectId, String service) {
        ensureNotAnotherProject(principal, projectId);
        if (principal instanceof Principal.Service caller) {
            if (caller.service() != null && !caller.service().equals(service)) {
                throw new Forbidden("This service key reports usage of " + caller.service() + " only.");
            }
        } else if (!(principal instanceof Operator)) {
            throw new Forbidden("Only cloud services and the operator report usage.");
        }
    }

    public static void ensureServiceOrOperator(Principal principal) {
        if (principal instanceof Member) {
            throw new Forbidden("Only cloud services and the operator may verify keys.");
        }
    }

    /** The caller is the operator or a member of this project; the project may still not exist. */
    public static void ensureInProject(Principal principal, String projectId) {
        if (principal instanceof Principal.Service) {
            throw new Forbidden("A service key cannot manage projects.");
        }
        ensureNotAnotherProject(principal, projectId);
    }

    /** The caller is the operator or a tenant admin of this project. */
    public static void ensureProjectAdmin(Principal principal, String projectId) {
        ensureInProject(principal, projectId);
        if (principal instanceof Member member && !member.isTenantAdmin()) {
            throw new Forbidden("Only a tenant admin of the project may do this.");
        }
    }

    /** The owner, a tenant admin of its project, and the operator may see a member key. */
    public static boolean canSee(Principal principal, KeyView key) {
        if (principal instanceof Member member) {
            return member.projectId().equals(key.projectId())
                    && onlyOwnOf(principal).map(key.userId()::equals).orElse(true);
        }
        return principal instanceof Operator;
    }

    /**
     * A tenant user sees only their own: their keys, their quota row, the audit entries about their keys and
     * their actions. This is that user; empty for a caller who sees every member's (a tenant admin, the operator).
     */
    public static Optional<String> onlyOwnOf(Principal principal) {
        if (principal instanceof Member member && !member.isTenantAdmin()) {
            return Optional.of(member.userId());
        }
        return Optional.empty();
    }

    /**
     * The operator reads the whole audit log, a member that of their own project (any other looks as if it did not
     * exist); a service key none of it.
     */
    public static void ensureReadsAuditLog(Principal principal, String projectId) {
        if (principal instanceof Principal.Service) {
            throw new Forbidden("A service key cannot read the audit log.");
        }
        if (projectId != null) {
            ensureNotAnotherProject(principal, projectId);
        }
    }

    /** A member key acts only inside its own project: any other looks as if it did not exist. */
    private static void ensureNotAnotherProject(Principal principal, String projectId) {
        if (principal instanceof Member member && !member.projectId().equals(projectId)) {
            throw new DomainException(ErrorCode.PROJECT_NOT_FOUND, "Project not found.");
        }
    }
}
