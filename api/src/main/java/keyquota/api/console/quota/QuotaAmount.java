package keyquota.api.console.quota;

import keyquota.domain.quota.QuotaPolicy;

import java.util.List;
import java.util.Map;

/**
 * One resource's usage against its quota, as the quota page writes it: "used / quota" and a percentage, or that
 * there is no limit. The words never depend on colour alone.
 *
 * @param member a member's -1 is "no member cap" (the project's quota still applies), a project's is "unlimited"
 */
public record QuotaAmount(String resource, long usage, long quota, boolean member) {

    /** Every resource of the service, in catalog order. */
    static List<QuotaAmount> of(List<String> resources, Map<String, Long> quota, Map<String, Long> usage,
                                boolean member) {
        return resources.stream().map(resource -> new QuotaAmount(resource, usage.getOrDefault(resource, 0L),
                quota.getOrDefault(resource, member ? QuotaPolicy.UNLIMITED : 0L), member)).toList();
    }

    public boolean unlimited() {
        return quota == QuotaPolicy.UNLIMITED;
    }

    /** A bar needs something to measure against: an unlimited or zero quota is told in words only. */
    public boolean metered() {
        return quota > 0;
    }

    public boolean over() {
        return QuotaPolicy.isBelow(quota, usage);
    }

    public long percent() {
        return metered() ? Math.round(usage * 100.0 / quota) : 0;
    }

    /** Where a bar turns to a warning: the default alert threshold, 80 %. */
    public double high() {
        return quota * 0.8;
    }

    public String message() {
        if (unlimited()) {
            return member ? "quotas.amount.noCap" : "quotas.amount.unlimited";
        }
        return metered() ? "quotas.amount.ofQuota" : "quotas.amount.ofZero";
    }

    public Object[] args() {
        return new Object[]{usage, quota, percent()};
    }
}
