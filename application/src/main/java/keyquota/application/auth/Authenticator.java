package keyquota.application.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import keyquota.application.secret.KeySecret;
import keyquota.domain.InvalidValue;
import keyquota.domain.key.AllowedCidrs;
import keyquota.domain.service.ServiceCatalog;
import keyquota.projections.key.KeyType;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.key.KeyView;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The hot path: every request and every verification. A malformed key is refused before any database work; a
 * well-formed one costs one indexed read by hash, or none while the {@link VerificationCache} holds it.
 */
@Service
public class Authenticator {

    /** What {@code lastUsedBy} says of a key's own calls, or of a verify for no known service. */
    public static final String API = "API";

    private final KeyProjection keys;
    private final VerificationCache cache;
    private final ServiceCatalog catalog;
    private final LastUseRecorder lastUses;
    private final Clock clock;
    private final Map<Verification.Code, Counter> verifications;
    private final Map<Verification.Code, Counter> authentications;

    public Authenticator(KeyProjection keys, VerificationCache cache, ServiceCatalog catalog,
                         LastUseRecorder lastUses, Clock clock, MeterRegistry meters) {
        this.keys = keys;
        this.cache = cache;
        this.catalog = catalog;
        this.lastUses = lastUses;
        this.clock = clock;
        this.verifications = countersByCode(meters, "keyquota.verifications",
                "Keys checked for cloud services (POST /api/v1/keys/verify), by the answer's code");
        this.authentications = countersByCode(meters, "keyquota.authentications",
                "Keys presented to keyquota itself (x-api-key, console sign-in), by the answer's code");
    }

    /** Made up front, one per code: the hot path only increments. */
    private static Map<Verification.Code, Counter> countersByCode(MeterRegistry meters, String name,
                                                                  String description) {
        Map<Verification.Code, Counter> counters = new EnumMap<>(Verification.Code.class);
        for (Verification.Code code : Verification.Code.values()) {
            counters.put(code, Counter.builder(name).description(description).tag("result", code.name())
                    .register(meters));
        }
        return counters;
    }

    /** Verification on behalf of a cloud service (or the operator) checking a key presented to it. */
    public Verification verifyFor(Principal caller, String presented) {
        return verifyFor(caller, presented, null, null);
    }

    /**
     * As {@link #verifyFor(Principal, String)}, with the key's scopes checked too, after everything else: the
     * service it is presented to (the request's, else the one the calling service key is bound to) and the
     * address it was presented from. Scopes never limit a key's own calls to keyquota.
     *
     * @param service  the service the key is presented to, or null
     * @param clientIp the address it was presented from, or null
     */
    public Verification verifyFor(Principal caller, String presented, String service, String clientIp) {
        Verification verification = scopedVerification(caller, presented, service, clientIp);
        verifications.get(verification.code()).increment();
        return verification;
    }

    private Verification scopedVerification(Principal caller, String presented, String service, String clientIp) {
        Access.ensureServiceOrOperator(caller);
        String forService = serviceOf(caller, service);
        if (clientIp != null && !AllowedCidrs.isAddress(clientIp)) {
            throw new InvalidValue("clientIp", "is not an IPv4 or IPv6 address");
        }
        Verification verification = find(presented);
        if (!verification.valid() || verification.key().type() != KeyType.MEMBER) {
            return verification;
        }
        KeyView key = verification.key();
        if (key.services() != null && (forService == null || !key.services().contains(forService))) {
            return new Verification(Verification.Code.SERVICE_NOT_ALLOWED, key, null);
        }
        if (key.allowedCidrs() != null && !new AllowedCidrs(key.allowedCidrs()).allows(clientIp)) {
            return new Verification(Verification.Code.IP_NOT_ALLOWED, key, null);
        }
        lastUses.noteUse(key.keyId(), forService == null ? API : forService);
        return verification;
    }

    /** A service key bound to one service verifies for it alone. */
    private String serviceOf(Principal caller, String requested) {
        String bound = caller instanceof Principal.Service service ? service.service() : null;
        if (requested == null) {
            return bound;
        }
        if (catalog.find(requested).isEmpty()) {
            throw new InvalidValue("service", "is not a service of " + catalog.serviceNames());
        }
        if (bound != null && !bound.equals(requested)) {
            throw new Forbidden("A service key bound to " + bound + " cannot verify for " + requested + ".");
        }
        return requested;
    }

    /** A key presented in a request to keyquota itself: a member key's use is noted as {@code API}. */
    public Verification verify(String presented) {
        Verification verification = find(presented);
        authentications.get(verification.code()).increment();
        if (verification.valid() && verification.key().type() == KeyType.MEMBER) {
            lastUses.noteUse(verification.key().keyId(), API);
        }
        return verification;
    }

    private Verification find(String presented) {
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
        if (key.disabled()) {
            return new Verification(Verification.Code.DISABLED, key, null);
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
