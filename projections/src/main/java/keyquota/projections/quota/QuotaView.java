package keyquota.projections.quota;

import java.util.List;

public record QuotaView(String projectId, String service, QuotaUsage project, List<MemberQuotaRow> members) {
}
