package keyquota.domain.quota;

/** What a cloud service reports on a project's quota of one service: usage taken (allocated) or given back. */
public sealed interface UsageChange permits AllocateUsage, ReleaseUsage {

    String projectId();

    String service();

    String allocationId();

    String quotaId();
}
