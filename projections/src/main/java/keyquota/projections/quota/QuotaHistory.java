package keyquota.projections.quota;

import keyquota.domain.MembershipId;
import keyquota.domain.Role;
import keyquota.infrastructure.eventstore.AxonTables;
import keyquota.domain.membership.MemberJoined;
import keyquota.domain.membership.MemberRemoved;
import keyquota.domain.membership.MemberRoleChanged;
import keyquota.domain.quota.MemberQuotaSet;
import keyquota.domain.quota.ProjectQuotaSet;
import keyquota.domain.quota.QuotaId;
import keyquota.domain.quota.UsageAllocated;
import keyquota.domain.quota.UsageReleased;
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
        replay(QuotaId.of(projectId, service.service()), asOf, event -> {
            if (event instanceof ProjectQuotaSet set) {
                projectQuota.putAll(set.newQuota());
            } else if (event instanceof MemberQuotaSet set) {
                quotas.put(set.userId(), set.newQuota());
            } else if (event instanceof UsageAllocated allocated) {
                usages.put(allocated.userId(), allocated.memberUsage());
                projectUsage.putAll(allocated.projectUsage());
            } else if (event instanceof UsageReleased released) {
                usages.put(released.userId(), released.memberUsage());
                projectUsage.putAll(released.projectUsage());
            }
        });
        projectQuota.keySet().retainAll(service.resources());
        projectUsage.keySet().retainAll(service.resources());
        return QuotaView.of(projectId, service, new QuotaUsage(projectQuota, projectUsage),
                membersAsOf(projectId, asOf), quotas, usages);
    }

    private Map<String, Role> membersAsOf(String projectId, Instant asOf) {
        Map<String, Role> members = new TreeMap<>();
        // every membership the project ever had: a scan of the store, acceptable for a rare query
        for (String membershipId : axon.aggregatesStartingWith(MembershipId.prefixOf(projectId))) {
            replay(membershipId, asOf, event -> {
                if (event instanceof MemberJoined joined) {
                    members.put(joined.userId(), joined.role());
                } else if (event instanceof MemberRoleChanged changed) {
                    members.put(changed.userId(), changed.newRole());
                } else if (event instanceof MemberRemoved removed) {
                    members.remove(removed.userId());
                }
            });
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
