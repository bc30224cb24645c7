package keyquota.domain.quota;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Allocations and releases that queued for one project's quota, decided together: one after another, in the order
 * given, each exactly as it would be alone, in one unit of work and one transaction. A refusal answers its own
 * change and stops no other. Each change's events carry that change's metadata (who asked, and the correlation id of
 * the request that asked), not the batch's.
 */
public record UsageBatch(String projectId, String service, List<Change> changes) {

    public UsageBatch {
        changes = List.copyOf(changes);
        for (Change change : changes) {
            if (!change.change().quotaId().equals(QuotaId.of(projectId, service))) {
                throw new IllegalArgumentException("A batch holds the changes of one quota only");
            }
        }
    }

    @TargetAggregateIdentifier
    public String quotaId() {
        return QuotaId.of(projectId, service);
    }

    /** @param metaData what the change's events carry, as its command carried it */
    public record Change(UsageChange change, Map<String, ?> metaData) {

        public Change {
            Objects.requireNonNull(change);
            metaData = Map.copyOf(metaData);
        }
    }

    /**
     * @param result  what the change answered when decided: an {@link AllocationResult}, or null for a release
     * @param refusal the rule that refused it (a {@code DomainException} or an {@code InvalidValue}), or null
     */
    public record Outcome(Object result, RuntimeException refusal) {

        public static Outcome decided(Object result) {
            return new Outcome(result, null);
        }

        public static Outcome refused(RuntimeException refusal) {
            return new Outcome(null, refusal);
        }
    }
}
