package keyquota.domain.quota;

/**
 * An alert threshold that an allocation's usage reached from below: of the member's quota or the project's.
 *
 * @param usage the usage after the allocation
 * @param quota the quota the threshold is a percentage of
 */
public record ThresholdCrossed(Scope scope, String resource, int threshold, long usage, long quota) {
}
