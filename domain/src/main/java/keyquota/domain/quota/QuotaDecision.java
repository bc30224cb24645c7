package keyquota.domain.quota;

import java.util.Map;

/**
 * What setting a quota decided (or, on a dry run, would decide).
 *
 * @param quota      the quota after the change, every resource of the service
 * @param acceptable per resource, the values that would be accepted without force
 */
public record QuotaDecision(Map<String, Long> quota, Map<String, Range> acceptable) {
}
