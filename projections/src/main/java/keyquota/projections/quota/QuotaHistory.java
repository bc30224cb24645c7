package keyquota.projections.quota;

import keyquota.domain.MembershipId;
import keyquota.domain.Role;
import keyquota.infrastructure.eventstore.AxonTables;
import keyquota.projections.member.MemberChanges;
import keyquota.domain.quota.QuotaId;
import keyquota.domain.service.CloudService;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The quota view as it stood at a past time, rebuilt from the events up to then: the project's quota
 * aggregate of that service for quotas and usage, and the project's memberships for who was a member.
 */
@Component
public class QuotaHistory {

    private final EventStore events;
    private final AxonTables axon;

    public QuotaHistory(EventStore events, AxonTables axon) {
        this.events = events;
        this.axon = axon;
    }

    public QuotaView asOf(String projectId, CloudService service, Instant asOf) {
        Map<String, Long> projectQuota = QuotaProjection.defaults(service, 0);
        Map<String, Long> projectUsage = QuotaProjection.defaults(service, 0);
        Map<String, Map<String, Long>> quotas = new HashMap<>();
        Map<String, Map<String, Long>> usages = new HashMap<>();
        QuotaChanges past = new QuotaChanges() {

            @Override
            public void projectQuota(String projectId, String service, Map<String, Long> quota) {
                projectQuota.putAll(quota);
            }

            @Override
            public void memberQuota(String projectId, String service, String userId, Map<String, Long> quota) {
                quotas.put(userId, quota);
            }

            @Override
            public void usage(String projectId, String service, String userId, Map<String, Long> memberUsage,
                              Map<String, Long> usage) {
                usages.put(userId, memberUsage);
                projectUsage.putAll(usage);
            }
        };
        replay(QuotaId.of(projectId, service.service()), asOf, event -> QuotaChanges.apply(event, past));
        projectQuota.keySet().retainAll(service.resources());
        projectUsage.keySet().retainAll(service.resources());
        return QuotaView.of(projectId, service, new QuotaUsage(projectQuota, projectUsage),
                membersAsOf(projectId, asOf), quotas, usages);
    }

    private Map<String, Role> membersAsOf(String projectId, Instant asOf) {
        Map<String, Role> members = new TreeMap<>();
        MemberChanges past = new MemberChanges() {

            @Override
            public void joined(String projectId, String userId, Role role, Instant joinedAt, String email) {
                members.put(userId, role);
            }

            @Override
            public void roleChanged(String projectId, String userId, Role role) {
                members.put(userId, role);
            }

            @Override
            public void removed(String projectId, String userId) {
                members.remove(userId);
            }
        };
        // every membership the project ever had: a scan of the store, acceptable for a rare query
        for (String membershipId : axon.aggregatesStartingWith(MembershipId.prefixOf(projectId))) {
            replay(membershipId, asOf, event -> MemberChanges.apply(event, past));
        }
        return members;
    }

    private void replay(String aggregateId, Instant asOf, Consumer<Object> apply) {
        events.readEvents(aggregateId).asStream()
                .filter(event -> !event.getTimestamp().isAfter(asOf))
                .map(DomainEventMessage::getPayload)
                .forEach(apply);
    }
}
