package keyquota.projections.key;

import keyquota.domain.key.KeyCreated;
import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyDisabled;
import keyquota.domain.key.KeyEnabled;
import keyquota.domain.key.KeyExtended;
import keyquota.domain.key.KeyRenamed;
import keyquota.domain.key.KeyRolled;
import keyquota.domain.operator.OperatorKeyConfigured;
import keyquota.domain.servicekey.ServiceKeyCreated;
import keyquota.domain.servicekey.ServiceKeyDeleted;

import java.time.Instant;
import java.util.UUID;

/**
 * What each event does to keys, read in one place: the live key list ({@link KeyProjection}) and a key as it
 * stood at a past time ({@link KeyHistory}) both apply events through {@link #apply}, so a new event cannot reach
 * one and miss the other.
 */
public interface KeyChanges {

    /** A key came to be; {@code keyHash} is its SHA-256 hash, by which it authenticates. */
    void created(KeyView key, String keyHash);

    void extended(UUID keyId, Instant expiresAt);

    void renamed(UUID keyId, String name);

    void disabled(UUID keyId, boolean disabled);

    /** The key was rolled to {@code replacedBy} and now expires at the end of its grace. */
    void rolled(UUID keyId, UUID replacedBy, Instant expiresAt);

    void deleted(UUID keyId, String reason);

    /** A member key as it is when created, never used yet. */
    static KeyView created(KeyCreated e) {
        return new KeyView(e.keyId(), KeyType.MEMBER, e.name(), e.maskedKey(), e.projectId(), e.userId(), e.role(),
                null, e.createdAt(), e.expiresAt(), false, false, null, e.services(), e.allowedCidrs(), null, null);
    }

    /** Hands the change the event makes, if any, to {@code changes}. */
    static void apply(Object event, KeyChanges changes) {
        if (event instanceof KeyCreated e) {
            changes.created(created(e), e.keyHash());
        } else if (event instanceof KeyExtended e) {
            changes.extended(e.keyId(), e.newExpiresAt());
        } else if (event instanceof KeyRenamed e) {
            changes.renamed(e.keyId(), e.newName());
        } else if (event instanceof KeyDisabled e) {
            changes.disabled(e.keyId(), true);
        } else if (event instanceof KeyEnabled e) {
            changes.disabled(e.keyId(), false);
        } else if (event instanceof KeyRolled e) {
            changes.rolled(e.keyId(), e.replacedBy(), e.newExpiresAt());
        } else if (event instanceof KeyDeleted e) {
            changes.deleted(e.keyId(), e.reason().name());
        } else if (event instanceof ServiceKeyCreated e) {
            changes.created(new KeyView(e.keyId(), KeyType.SERVICE, e.name(), e.maskedKey(), null, null, null,
                    e.service(), e.createdAt(), null, false, false, null, null, null, null, null), e.keyHash());
        } else if (event instanceof ServiceKeyDeleted e) {
            changes.deleted(e.keyId(), "BY_OPERATOR");
        } else if (event instanceof OperatorKeyConfigured e) {
            if (e.replacedKeyId() != null) {
                changes.deleted(e.replacedKeyId(), "REPLACED");
            }
            changes.created(new KeyView(e.keyId(), KeyType.OPERATOR, "operator", e.maskedKey(), null, null, null,
                    null, e.configuredAt(), null, false, false, null, null, null, null, null), e.keyHash());
        }
    }
}
