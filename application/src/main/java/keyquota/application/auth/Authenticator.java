package keyquota.application.auth;

import keyquota.application.secret.KeySecret;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.key.KeyView;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The hot path: every request and every verification. A malformed key is refused before any database work; a
 * well-formed one costs one indexed read by hash, or none while the {@link VerificationCache} holds it.
 */
@Service
public class Authenticator {

    private final KeyProjection keys;
    private final VerificationCache cache;
    private final Clock clock;

    public Authenticator(KeyProjection keys, VerificationCache cache, Clock clock) {
        this.keys = keys;
        this.cache = cache;
        this.clock = clock;
    }

    /** Verification on behalf of a cloud service (or the operator) checking a key presented to it. */
    public Verification verifyFor(Principal caller, String presented) {
        Access.ensureServiceOrOperator(caller);
        return verify(presented);
    }

    public Verification verify(String presented) {
        Optional<KeySecret> secret = KeySecret.parse(presented);
        if (secret.isEmpty()) {
            return new Verification(Verification.Code.MALFORMED, null, null);
        }
        return check(cache.find(secret.get().hash(), keys::findByHash));
    }

    /**
     * The key with this id, checked as a presented one is: a console session holds only its key's id, so a key
     * deleted, expired or replaced since sign-in ends the session at its next request, on any node.
     */
    public Verification verifyById(UUID keyId) {
        return check(keys.find(keyId));
    }

    private Verification check(Optional<KeyView> found) {
        if (found.isEmpty()) {
            return new Verification(Verification.Code.NOT_FOUND, null, null);
        }
        KeyView key = found.get();
        if (key.deleted()) {
            return new Verification(Verification.Code.REVOKED, key, null);
        }
        if (key.isExpiredAt(clock.instant())) {
            return new Verification(Verification.Code.EXPIRED, key, null);
        }
        return new Verification(Verification.Code.VALID, key, principalOf(key));
    }

    private static Principal principalOf(KeyView key) {
        return switch (key.type()) {
            case OPERATOR -> new Principal.Operator(key.keyId());
            case MEMBER -> new Principal.Member(key.keyId(), key.projectId(), key.userId(), key.role(),
                    key.expiresAt());
            case SERVICE -> new Principal.Service(key.keyId(), key.service());
        };
    }
}
