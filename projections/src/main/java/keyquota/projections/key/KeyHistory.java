package keyquota.projections.key;

import keyquota.domain.MembershipId;
import keyquota.domain.key.KeyCreated;
import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyExtended;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;

/** A member key as it stood at a past time, rebuilt from its membership's events up to then. */
@Component
public class KeyHistory {

    private final EventStore events;

    public KeyHistory(EventStore events) {
        this.events = events;
    }

    /**
     * @param key the key as it stands now (deleted or not), which names its membership
     * @return the key at that time, or empty if it did not exist then or was already deleted
     */
    public Optional<KeyView> asOf(KeyView key, Instant asOf) {
        KeyView then = null;
        Iterator<? extends DomainEventMessage<?>> history =
                events.readEvents(MembershipId.of(key.projectId(), key.userId())).asStream().iterator();
        while (history.hasNext()) {
            DomainEventMessage<?> message = history.next();
            if (message.getTimestamp().isAfter(asOf)) {
                continue;
            }
            Object event = message.getPayload();
            if (event instanceof KeyCreated created && created.keyId().equals(key.keyId())) {
                then = new KeyView(created.keyId(), KeyType.MEMBER, created.name(), created.maskedKey(),
                        created.projectId(), created.userId(), created.role(), null, created.createdAt(),
                        created.expiresAt(), false);
            } else if (event instanceof KeyExtended extended && extended.keyId().equals(key.keyId()) && then != null) {
                then = new KeyView(then.keyId(), then.type(), then.name(), then.maskedKey(), then.projectId(),
                        then.userId(), then.role(), null, then.createdAt(), extended.newExpiresAt(), false);
            } else if (event instanceof KeyDeleted deleted && deleted.keyId().equals(key.keyId())) {
                then = null;
            }
        }
        return Optional.ofNullable(then);
    }
}
