package keyquota.domain.membership;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.MembershipId;
import keyquota.domain.Role;
import keyquota.domain.Time;
import keyquota.domain.UserId;
import keyquota.domain.key.CreateKey;
import keyquota.domain.key.DeleteKey;
import keyquota.domain.key.ExtendKey;
import keyquota.domain.key.Key;
import keyquota.domain.key.DisableKey;
import keyquota.domain.key.EnableKey;
import keyquota.domain.key.KeyCreated;
import keyquota.domain.key.KeyDisabled;
import keyquota.domain.key.KeyEnabled;
import keyquota.domain.key.KeyRenamed;
import keyquota.domain.key.KeyRolled;
import keyquota.domain.key.RenameKey;
import keyquota.domain.key.RollKey;
import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyDeletionReason;
import keyquota.domain.key.KeyExtended;
import keyquota.domain.key.KeyPolicy;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One user's membership of one project, and the keys they hold there. Keeping the keys inside the membership
 * puts "at most N active keys" and "keys die with the membership or the role" in one consistency boundary:
 * Axon serialises commands per aggregate on a node, and the event store's sequence numbers do so across nodes.
 * A membership outlives its member's removal, so a user who rejoins continues the same history.
 */
public class Membership {

    @AggregateIdentifier
    private String membershipId;
    private String projectId;
    private String userId;
    /** Null while the user is not a member. */
    private Role role;
    /** Where notifications go by email; null for none. */
    private String email;
    private final Map<UUID, Key> keys = new LinkedHashMap<>();

    protected Membership() {
    }

    /** A user who rejoins keeps the email address they had, unless a new one is given. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(SetMemberRole command, Clock clock) {
        if (role == null) {
            UserId.ensureValid(command.userId());
            apply(new MemberJoined(command.projectId(), command.userId(), command.role(), Time.now(clock),
                    command.email() != null ? command.email() : email));
            return;
        }
        if (role != command.role()) {
            deleteAllKeys(KeyDeletionReason.ROLE_CHANGED);
            apply(new MemberRoleChanged(projectId, userId, role, command.role()));
        }
        if (command.email() != null && !command.email().equals(email)) {
            apply(new MemberEmailChanged(projectId, userId, email, command.email()));
        }
    }

    @CommandHandler
    public void handle(RemoveMember command) {
        ensureMember();
        deleteAllKeys(KeyDeletionReason.MEMBERSHIP_ENDED);
        apply(new MemberRemoved(projectId, userId, role));
    }

    /** @return the key as created, so that the caller can show it without reading it back */
    @CommandHandler
    public KeyCreated handle(CreateKey command, Clock clock, KeyPolicy policy) {
        ensureMember();
        policy.checkValidDays(command.validDays());
        Instant now = Time.now(clock);
        policy.ensureBelowKeyLimit(activeKeysAt(now));
        KeyCreated created = new KeyCreated(command.keyId(), projectId, userId, role, command.name(),
                command.keyHash(), command.maskedKey(), now, now.plus(Duration.ofDays(command.validDays())),
                command.services() == null ? null : command.services().services(),
                command.allowedCidrs() == null ? null : command.allowedCidrs().cidrs());
        apply(created);
        return created;
    }

    @CommandHandler
    public Instant handle(ExtendKey command, Clock clock, KeyPolicy policy) {
        Key key = liveKey(command.keyId());
        policy.checkExtensionDays(command.days());
        Instant now = Time.now(clock);
        key.ensureChangeable(now);
        Instant newExpiry = key.expiresAt().plus(Duration.ofDays(command.days()));
        policy.ensureExpiryWithinLimit(newExpiry, now);
        apply(new KeyExtended(key.keyId(), projectId, userId, key.expiresAt(), newExpiry));
        return newExpiry;
    }

    @CommandHandler
    public void handle(RenameKey command) {
        Key key = liveKey(command.keyId());
        if (!Objects.equals(key.name(), command.name())) {
            apply(new KeyRenamed(key.keyId(), projectId, userId, key.name(), command.name()));
        }
    }

    /** Disabling a disabled key changes nothing and is no error: the caller gets what they asked for. */
    @CommandHandler
    public void handle(DisableKey command) {
        Key key = liveKey(command.keyId());
        if (!key.disabled()) {
            apply(new KeyDisabled(key.keyId(), projectId, userId));
        }
    }

    @CommandHandler
    public void handle(EnableKey command, Clock clock) {
        Key key = liveKey(command.keyId());
        key.ensureNotExpired(Time.now(clock));
        if (key.disabled()) {
            apply(new KeyEnabled(key.keyId(), projectId, userId));
        }
    }

    /**
     * The new key takes the old one's place in everything but its secret; the old one works until its grace ends
     * (never longer than it would have), and no longer counts toward the key limit, so rolling never hits it.
     */
    @CommandHandler
    public Instant handle(RollKey command, Clock clock) {
        Key key = liveKey(command.keyId());
        KeyPolicy.checkGraceHours(command.graceHours());
        Instant now = Time.now(clock);
        key.ensureChangeable(now);
        Instant graceEnds = Time.min(key.expiresAt(), now.plus(Duration.ofHours(command.graceHours())));
        apply(new KeyRolled(key.keyId(), projectId, userId, command.newKeyId(), key.expiresAt(), graceEnds));
        apply(new KeyCreated(command.newKeyId(), projectId, userId, role, key.name(), command.keyHash(),
                command.maskedKey(), now, key.expiresAt(), key.services(), key.allowedCidrs()));
        return graceEnds;
    }

    @CommandHandler
    public void handle(DeleteKey command) {
        Key key = liveKey(command.keyId());
        apply(new KeyDeleted(key.keyId(), projectId, userId, command.reason()));
    }

    private void ensureMember() {
        if (role == null) {
            throw new DomainException(ErrorCode.MEMBER_NOT_FOUND, "User is not a member of this project.");
        }
    }

    private Key liveKey(UUID keyId) {
        Key key = keys.get(keyId);
        if (key == null) {
            throw new DomainException(ErrorCode.KEY_NOT_FOUND, "Key not found.");
        }
        return key;
    }

    private long activeKeysAt(Instant now) {
        return keys.values().stream().filter(key -> key.countsTowardLimitAt(now)).count();
    }

    private void deleteAllKeys(KeyDeletionReason reason) {
        for (Key key : new ArrayList<>(keys.values())) {
            apply(new KeyDeleted(key.keyId(), projectId, userId, reason));
        }
    }

    @EventSourcingHandler
    void on(MemberJoined event) {
        membershipId = MembershipId.of(event.projectId(), event.userId());
        projectId = event.projectId();
        userId = event.userId();
        role = event.role();
        email = event.email();
    }

    @EventSourcingHandler
    void on(MemberEmailChanged event) {
        email = event.newEmail();
    }

    @EventSourcingHandler
    void on(MemberRoleChanged event) {
        role = event.newRole();
    }

    @EventSourcingHandler
    void on(MemberRemoved event) {
        role = null;
    }

    @EventSourcingHandler
    void on(KeyCreated event) {
        keys.put(event.keyId(), new Key(event.keyId(), event.name(), event.services(), event.allowedCidrs(),
                event.expiresAt(), false, null));
    }

    @EventSourcingHandler
    void on(KeyRenamed event) {
        keys.computeIfPresent(event.keyId(), (id, key) -> key.renamed(event.newName()));
    }

    @EventSourcingHandler
    void on(KeyDisabled event) {
        keys.computeIfPresent(event.keyId(), (id, key) -> key.disabled(true));
    }

    @EventSourcingHandler
    void on(KeyEnabled event) {
        keys.computeIfPresent(event.keyId(), (id, key) -> key.disabled(false));
    }

    @EventSourcingHandler
    void on(KeyRolled event) {
        keys.computeIfPresent(event.keyId(), (id, key) -> key.rolledTo(event.replacedBy(), event.newExpiresAt()));
    }

    @EventSourcingHandler
    void on(KeyExtended event) {
        keys.computeIfPresent(event.keyId(), (id, key) -> key.extendedTo(event.newExpiresAt()));
    }

    @EventSourcingHandler
    void on(KeyDeleted event) {
        keys.remove(event.keyId());
    }
}
