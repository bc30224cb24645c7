package keyquota.domain.quota;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.Time;
import keyquota.domain.service.CloudService;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static keyquota.domain.quota.QuotaPolicy.UNLIMITED;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A project's quota and usage of one cloud service, with every member's quota and usage and every allocation.
 * One consistency boundary for all of them: a member quota never exceeds the project's, usage never exceeds a
 * quota, and an allocation id counts once, however many allocations race on however many nodes.
 * A new project has quota 0 for every resource; a member without a quota of their own has -1 (no member cap).
 */
public class ProjectQuota {

    public static final int RELEASED_ALLOCATIONS_REMEMBERED = 1000;

    @AggregateIdentifier
    private String quotaId;
    private final Map<String, Long> projectQuota = new HashMap<>();
    private final Map<String, Long> projectUsage = new HashMap<>();
    private final Map<String, Map<String, Long>> memberQuota = new HashMap<>();
    private final Map<String, Map<String, Long>> memberUsage = new HashMap<>();
    private final Map<String, Allocation> liveAllocations = new HashMap<>();
    /**
     * The most recently released allocations, so that an allocation or release sent again is still answered as
     * the first time. Bounded, so that the aggregate (and its snapshot) stays small on a busy project.
     */
    private final LinkedHashMap<String, Allocation> releasedAllocations = new LinkedHashMap<>();
    private AlertThresholds alertThresholds = AlertThresholds.DEFAULT;

    protected ProjectQuota() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public QuotaDecision handle(SetProjectQuota command, ServiceCatalog catalog) {
        CloudService service = catalog.service(command.service());
        QuotaPolicy.checkQuotaValues(service, command.quota());
        Map<String, Long> old = QuotaPolicy.merged(service, projectQuota, Map.of(), 0);
        Map<String, Long> next = QuotaPolicy.merged(service, projectQuota, command.quota(), 0);
        Map<String, Range> acceptable = new LinkedHashMap<>();
        for (String resource : service.resources()) {
            acceptable.put(resource, new Range(Math.max(projectUsage.getOrDefault(resource, 0L),
                    largestMemberQuota(resource)), UNLIMITED));
        }
        if (!command.force()) {
            for (String resource : command.quota().keySet()) {
                long quota = next.get(resource);
                QuotaPolicy.ensureNotBelowUsage("project", resource, quota, projectUsage.getOrDefault(resource, 0L),
                        acceptable);
                QuotaPolicy.ensureNotAboveProject(resource, largestMemberQuota(resource), quota, acceptable);
            }
        }
        if (!command.dryRun() && !next.equals(old)) {
            apply(new ProjectQuotaSet(command.projectId(), command.service(), old, next, command.force()));
        }
        return new QuotaDecision(next, acceptable);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public QuotaDecision handle(SetMemberQuota command, ServiceCatalog catalog) {
        CloudService service = catalog.service(command.service());
        QuotaPolicy.checkQuotaValues(service, command.quota());
        Map<String, Long> current = memberQuota.getOrDefault(command.userId(), Map.of());
        Map<String, Long> usage = memberUsage.getOrDefault(command.userId(), Map.of());
        Map<String, Long> old = QuotaPolicy.merged(service, current, Map.of(), UNLIMITED);
        Map<String, Long> next = QuotaPolicy.merged(service, current, command.quota(), UNLIMITED);
        Map<String, Range> acceptable = new LinkedHashMap<>();
        for (String resource : service.resources()) {
            acceptable.put(resource, new Range(usage.getOrDefault(resource, 0L),
                    projectQuota.getOrDefault(resource, 0L)));
        }
        for (String resource : command.quota().keySet()) {
            long quota = next.get(resource);
            QuotaPolicy.ensureNotAboveProject(resource, quota, projectQuota.getOrDefault(resource, 0L), acceptable);
            if (!command.force()) {
                QuotaPolicy.ensureNotBelowUsage("member", resource, quota, usage.getOrDefault(resource, 0L),
                        acceptable);
            }
        }
        if (!command.dryRun() && !next.equals(old)) {
            apply(new MemberQuotaSet(command.projectId(), command.service(), command.userId(), old, next,
                    command.force()));
        }
        return new QuotaDecision(next, acceptable);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public AllocationResult handle(AllocateUsage command, ServiceCatalog catalog, Clock clock) {
        return allocate(command, catalog, clock, MetaData.emptyInstance());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ReleaseUsage command, ServiceCatalog catalog) {
        release(command, catalog, MetaData.emptyInstance());
    }

    /** Each change decided as it would be alone; a change's refusal is its outcome, and the next is decided. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public List<UsageBatch.Outcome> handle(UsageBatch batch, ServiceCatalog catalog, Clock clock) {
        List<UsageBatch.Outcome> outcomes = new ArrayList<>(batch.changes().size());
        for (UsageBatch.Change change : batch.changes()) {
            MetaData metaData = MetaData.from(change.metaData());
            try {
                if (change.change() instanceof AllocateUsage allocation) {
                    outcomes.add(UsageBatch.Outcome.decided(allocate(allocation, catalog, clock, metaData)));
                } else {
                    release((ReleaseUsage) change.change(), catalog, metaData);
                    outcomes.add(UsageBatch.Outcome.decided(null));
                }
            } catch (DomainException | InvalidValue refusal) {
                outcomes.add(UsageBatch.Outcome.refused(refusal));
            }
        }
        return outcomes;
    }

    private AllocationResult allocate(AllocateUsage command, ServiceCatalog catalog, Clock clock, MetaData metaData) {
        Allocation earlier = allocation(command.allocationId());
        if (earlier != null) {
            if (!earlier.sameRequest(command.userId(), command.resources())) {
                throw new DomainException(ErrorCode.IDEMPOTENCY_CONFLICT,
                        "Allocation " + command.allocationId() + " was made before with another body.");
            }
            return new AllocationResult(earlier, true);
        }
        CloudService service = catalog.service(command.service());
        QuotaPolicy.checkAllocationAmounts(service, command.resources());
        Map<String, Long> quota = memberQuota.getOrDefault(command.userId(), Map.of());
        Map<String, Long> usage = memberUsage.getOrDefault(command.userId(), Map.of());
        for (String resource : service.resources()) {
            long requested = command.resources().getOrDefault(resource, 0L);
            if (requested > 0) {
                QuotaPolicy.ensureRoom(Scope.MEMBER, resource, quota.getOrDefault(resource, UNLIMITED),
                        usage.getOrDefault(resource, 0L), requested);
                QuotaPolicy.ensureRoom(Scope.PROJECT, resource, projectQuota.getOrDefault(resource, 0L),
                        projectUsage.getOrDefault(resource, 0L), requested);
                QuotaPolicy.ensureNoOverflow(resource, projectUsage.getOrDefault(resource, 0L), requested);
            }
        }
        Map<String, Long> memberAfter = plus(service, usage, command.resources(), 1);
        Map<String, Long> projectAfter = plus(service, projectUsage, command.resources(), 1);
        List<ThresholdCrossed> crossed = new ArrayList<>();
        for (String resource : service.resources()) {
            thresholdsCrossed(Scope.MEMBER, resource, quota.getOrDefault(resource, UNLIMITED), usage, memberAfter,
                    crossed);
            thresholdsCrossed(Scope.PROJECT, resource, projectQuota.getOrDefault(resource, 0L), projectUsage,
                    projectAfter, crossed);
        }
        apply(new UsageAllocated(command.projectId(), command.service(), command.allocationId(), command.userId(),
                Map.copyOf(command.resources()), memberAfter, projectAfter, Time.now(clock), crossed), metaData);
        return new AllocationResult(liveAllocations.get(command.allocationId()), false);
    }

    private void release(ReleaseUsage command, ServiceCatalog catalog, MetaData metaData) {
        if (releasedAllocations.containsKey(command.allocationId())) {
            return;
        }
        Allocation allocation = liveAllocations.get(command.allocationId());
        if (allocation == null) {
            throw new DomainException(ErrorCode.ALLOCATION_NOT_FOUND,
                    "Allocation " + command.allocationId() + " not found.");
        }
        release(command.projectId(), catalog.service(command.service()), allocation, ReleaseReason.RELEASED,
                metaData);
    }

    /**
     * Releases the leaks: allocations held that the service did not list and that were made before it listed.
     * Allocation times are whole seconds (an allocation made at 12:00:00.7 is stamped 12:00:00), so only those
     * stamped before listedAt's whole second are surely older than the list; one made in that second waits for
     * the next reconcile rather than risk releasing an allocation the list could not have held yet.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Reconciliation handle(ReconcileAllocations command, ServiceCatalog catalog, Clock clock) {
        CloudService service = catalog.service(command.service());
        ensureListedInThePast(command.listedAt(), clock);
        Instant listedSecond = command.listedAt().truncatedTo(ChronoUnit.SECONDS);
        List<Allocation> leaked = liveAllocations.values().stream()
                .filter(allocation -> !command.allocationIds().contains(allocation.allocationId()))
                .filter(allocation -> allocation.allocatedAt().isBefore(listedSecond))
                .sorted(Comparator.comparing(Allocation::allocationId))
                .toList();
        List<String> unknown = command.allocationIds().stream()
                .filter(allocationId -> !liveAllocations.containsKey(allocationId))
                .sorted()
                .toList();
        if (!command.dryRun()) {
            leaked.forEach(allocation -> release(command.projectId(), service, allocation, ReleaseReason.RECONCILED,
                    MetaData.emptyInstance()));
        }
        List<String> leakedIds = leaked.stream().map(Allocation::allocationId).toList();
        return new Reconciliation(leakedIds, unknown, command.dryRun() ? List.of() : leakedIds);
    }

    /** A list from the future could not hold allocations made between now and then. */
    private static void ensureListedInThePast(Instant listedAt, Clock clock) {
        if (listedAt.isAfter(clock.instant())) {
            throw new InvalidValue("listedAt", "must not be in the future");
        }
    }

    private void release(String projectId, CloudService service, Allocation allocation, ReleaseReason reason,
                         MetaData metaData) {
        apply(new UsageReleased(projectId, service.service(), allocation.allocationId(), allocation.userId(),
                allocation.resources(),
                plus(service, memberUsage.getOrDefault(allocation.userId(), Map.of()), allocation.resources(), -1),
                plus(service, projectUsage, allocation.resources(), -1), reason), metaData);
    }

    /**
     * Alert thresholds are percentages of a quota; changing it never fires one (only usage crossing counts), so
     * a threshold is weighed only here, against the quota in force at the allocation.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(SetAlertThresholds command, ServiceCatalog catalog) {
        catalog.service(command.service());
        AlertThresholds next = AlertThresholds.of(command.thresholds());
        if (!next.equals(alertThresholds)) {
            apply(new AlertThresholdsSet(command.projectId(), command.service(), alertThresholds.percentages(),
                    next.percentages()));
        }
    }

    private void thresholdsCrossed(Scope scope, String resource, long quota, Map<String, Long> before,
                                   Map<String, Long> after, List<ThresholdCrossed> crossed) {
        long usage = after.get(resource);
        for (int threshold : alertThresholds.crossed(quota, before.getOrDefault(resource, 0L), usage)) {
            crossed.add(new ThresholdCrossed(scope, resource, threshold, usage, quota));
        }
    }

    private Allocation allocation(String allocationId) {
        Allocation live = liveAllocations.get(allocationId);
        return live != null ? live : releasedAllocations.get(allocationId);
    }

    private long largestMemberQuota(String resource) {
        return memberQuota.values().stream()
                .mapToLong(quota -> quota.getOrDefault(resource, UNLIMITED))
                .max().orElse(UNLIMITED);
    }

    /** Usage after adding (sign 1) or taking away (sign -1) the amounts, for every resource of the service. */
    private static Map<String, Long> plus(CloudService service, Map<String, Long> usage, Map<String, Long> amounts,
                                          int sign) {
        Map<String, Long> result = new LinkedHashMap<>();
        for (String resource : service.resources()) {
            result.put(resource, usage.getOrDefault(resource, 0L) + sign * amounts.getOrDefault(resource, 0L));
        }
        return result;
    }

    @EventSourcingHandler
    void on(ProjectQuotaSet event) {
        quotaId = QuotaId.of(event.projectId(), event.service());
        projectQuota.putAll(event.newQuota());
    }

    @EventSourcingHandler
    void on(MemberQuotaSet event) {
        quotaId = QuotaId.of(event.projectId(), event.service());
        memberQuota.put(event.userId(), new HashMap<>(event.newQuota()));
    }

    @EventSourcingHandler
    void on(UsageAllocated event) {
        quotaId = QuotaId.of(event.projectId(), event.service());
        memberUsage.put(event.userId(), new HashMap<>(event.memberUsage()));
        projectUsage.putAll(event.projectUsage());
        liveAllocations.put(event.allocationId(), new Allocation(event.allocationId(), event.userId(),
                event.resources(), event.memberUsage(), event.projectUsage(), event.allocatedAt()));
    }

    @EventSourcingHandler
    void on(AlertThresholdsSet event) {
        quotaId = QuotaId.of(event.projectId(), event.service());
        alertThresholds = new AlertThresholds(event.newThresholds());
    }

    @EventSourcingHandler
    void on(UsageReleased event) {
        memberUsage.put(event.userId(), new HashMap<>(event.memberUsage()));
        projectUsage.putAll(event.projectUsage());
        Allocation released = liveAllocations.remove(event.allocationId());
        if (released != null) {
            releasedAllocations.put(event.allocationId(), released);
        }
        if (releasedAllocations.size() > RELEASED_ALLOCATIONS_REMEMBERED) {
            releasedAllocations.remove(releasedAllocations.keySet().iterator().next());
        }
    }
}
