package keyquota.projections.quota;

import java.util.Map;

/** Quota and usage per resource, every resource of the service. */
public record QuotaUsage(Map<String, Long> quota, Map<String, Long> usage) {
}
