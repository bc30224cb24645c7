package keyquota.projections.quota;

import keyquota.domain.quota.MemberQuotaSet;
import keyquota.domain.quota.ProjectQuotaSet;
import keyquota.domain.quota.UsageAllocated;
import keyquota.domain.quota.UsageReleased;

import java.util.Map;

/**
 * What each event does to a project's quota view of one service, read in one place: the live view
 * ({@link QuotaProjection}) and the view as it stood at a past time ({@link QuotaHistory}) both apply events
 * through {@link #apply}, so a new event cannot reach one and miss the other.
 */
public interface QuotaChanges {

    void projectQuota(String projectId, String service, Map<String, Long> quota);

    void memberQuota(String projectId, String service, String userId, Map<String, Long> quota);

    /** The member's and the project's usage after an allocation or a release. */
    void usage(String projectId, String service, String userId, Map<String, Long> memberUsage,
               Map<String, Long> projectUsage);

    /** Hands the change the event makes, if any, to {@code changes}. */
    static void apply(Object event, QuotaChanges changes) {
        if (event instanceof ProjectQuotaSet e) {
            changes.projectQuota(e.projectId(), e.service(), e.newQuota());
        } else if (event instanceof MemberQuotaSet e) {
            changes.memberQuota(e.projectId(), e.service(), e.userId(), e.newQuota());
        } else if (event instanceof UsageAllocated e) {
            changes.usage(e.projectId(), e.service(), e.userId(), e.memberUsage(), e.projectUsage());
        } else if (event instanceof UsageReleased e) {
            changes.usage(e.projectId(), e.service(), e.userId(), e.memberUsage(), e.projectUsage());
        }
    }
}
