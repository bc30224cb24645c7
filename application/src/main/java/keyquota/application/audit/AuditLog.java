package keyquota.application.audit;

import keyquota.application.auth.Forbidden;
import keyquota.application.auth.Principal;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.projections.audit.AuditPage;
import keyquota.projections.audit.AuditProjection;
import keyquota.projections.audit.AuditQuery;
import org.springframework.stereotype.Service;

/**
 * Who sees which part of the audit log: the operator all of it, a tenant admin their project's, a tenant user
 * the entries about their own keys and those of their own actions in their project.
 */
@Service
public class AuditLog {

    private final AuditProjection audit;

    public AuditLog(AuditProjection audit) {
        this.audit = audit;
    }

    public AuditPage entries(Principal principal, AuditQuery query) {
        if (principal instanceof Principal.Service) {
            throw new Forbidden("A service key cannot read the audit log.");
        }
        if (principal instanceof Principal.Member member) {
            if (query.projectId() != null && !query.projectId().equals(member.projectId())) {
                throw new DomainException(ErrorCode.PROJECT_NOT_FOUND, "Project not found.");
            }
            query = new AuditQuery(member.projectId(), query.userId(), query.keyId(), query.type(), query.from(),
                    query.to(), member.isTenantAdmin() ? null : member.userId(), query.cursor(), query.limit());
        }
        return audit.entries(query);
    }
}
