package keyquota.domain.quota;

import java.util.List;

/**
 * What a reconcile found, each list sorted.
 *
 * @param leaked   allocations held that the service did not list and that were made before it listed
 * @param unknown  listed ids that are not held
 * @param released what this reconcile released: every leaked one, or none on a dry run
 */
public record Reconciliation(List<String> leaked, List<String> unknown, List<String> released) {
}
