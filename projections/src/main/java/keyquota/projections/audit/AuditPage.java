package keyquota.projections.audit;

import java.util.List;

/** @param nextCursor where the next page starts, or null on the last page */
public record AuditPage(List<AuditEntry> entries, String nextCursor) {
}
