package keyquota.application.audit;

import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.infrastructure.eventstore.ProcessorHorizon;
import keyquota.projections.audit.AuditPage;
import keyquota.projections.audit.AuditProjection;
import keyquota.projections.audit.AuditQuery;
import org.springframework.stereotype.Service;

import java.time.Duration;

/**
 * Who sees which part of the audit log: the operator all of it, a tenant admin their project's, a tenant user
 * the entries about their own keys and those of their own actions in their project.
 */
@Service
public class AuditLog {

    /** How long a read waits for the audit log to pass the events committed before it. */
    static final Duration READ_YOUR_WRITES = Duration.ofSeconds(5);

    private final AuditProjection audit;
    private final ProcessorHorizon horizon;

    public AuditLog(AuditProjection audit, ProcessorHorizon horizon) {
        this.audit = audit;
        this.horizon = horizon;
    }

    public AuditPage entries(Principal principal, AuditQuery query) {
        Access.ensureReadsAuditLog(principal, query.projectId());
        if (principal instanceof Principal.Member member) {
            query = new AuditQuery(member.projectId(), query.userId(), query.keyId(), query.type(), query.from(),
                    query.to(), Access.onlyOwnOf(principal).orElse(null), query.cursor(), query.limit());
        }
        return audit.entries(query, awaitHorizon());
    }

    /**
     * A read shows every change acknowledged before it was sent: it waits, bounded, until the audit log has
     * passed the newest event at this moment. If the log lags further, it answers what is complete so far.
     */
    private long awaitHorizon() {
        return horizon.awaitCurrent(AuditProjection.NAME, READ_YOUR_WRITES);
    }
}
