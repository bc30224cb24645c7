package keyquota.projections.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Filters on the audit log; null means any. {@code from} is inclusive, {@code to} exclusive.
 *
 * @param involving entries only about this user's keys or of this user's own actions (a tenant user's view)
 * @param cursor    where the page starts: a cursor from a previous page, or null
 */
public record AuditQuery(String projectId, String userId, UUID keyId, String type, Instant from, Instant to,
                         String involving, String cursor, int limit) {
}
