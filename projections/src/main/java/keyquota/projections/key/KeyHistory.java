package keyquota.projections.key;

import keyquota.domain.MembershipId;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

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
        Past past = new Past(key.keyId());
        events.readEvents(MembershipId.of(key.projectId(), key.userId())).asStream()
                .filter(message -> !message.getTimestamp().isAfter(asOf))
                .forEach(message -> KeyChanges.apply(message.getPayload(), past));
        return Optional.ofNullable(past.then);
    }

    /** The one key, folded from its membership's events. */
    private static final class Past implements KeyChanges {

        private final UUID keyId;
        private KeyView then;

        Past(UUID keyId) {
            this.keyId = keyId;
        }

        @Override
        public void created(KeyView key, String keyHash) {
            if (key.keyId().equals(keyId)) {
                then = key;
            }
        }

        @Override
        public void extended(UUID keyId, Instant expiresAt) {
            change(keyId, then -> then.withExpiry(expiresAt));
        }

        @Override
        public void renamed(UUID keyId, String name) {
            change(keyId, then -> then.withName(name));
        }

        @Override
        public void disabled(UUID keyId, boolean disabled) {
            change(keyId, then -> then.withDisabled(disabled));
        }

        @Override
        public void rolled(UUID keyId, UUID replacedBy, Instant expiresAt) {
            change(keyId, then -> then.rolledTo(replacedBy, expiresAt));
        }

        private void change(UUID keyId, UnaryOperator<KeyView> change) {
            if (keyId.equals(this.keyId) && then != null) {
                then = change.apply(then);
            }
        }

        @Override
        public void deleted(UUID keyId, String reason) {
            if (keyId.equals(this.keyId)) {
                then = null;
            }
        }
    }
}
