package keyquota.application.key;

import keyquota.application.auth.Access;
import keyquota.application.auth.Forbidden;
import keyquota.application.auth.Principal;
import keyquota.application.auth.VerificationCache;
import keyquota.application.project.ProjectManagement;
import keyquota.application.secret.KeySecret;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.key.AllowedCidrs;
import keyquota.domain.key.CreateKey;
import keyquota.domain.key.DeleteKey;
import keyquota.domain.key.DisableKey;
import keyquota.domain.key.EnableKey;
import keyquota.domain.key.ExtendKey;
import keyquota.domain.key.KeyCreated;
import keyquota.domain.key.KeyDeletionReason;
import keyquota.domain.key.KeyPolicy;
import keyquota.domain.key.KeyServices;
import keyquota.domain.key.RenameKey;
import keyquota.domain.key.RollKey;
import keyquota.domain.service.ServiceCatalog;
import keyquota.projections.key.KeyChanges;
import keyquota.projections.key.KeyHistory;
import keyquota.projections.key.KeyPage;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.key.KeyStatus;
import keyquota.projections.key.KeyView;
import keyquota.projections.key.KeyType;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Members' API keys (TWCC "API 金鑰管理"): create, list, extend, rename, disable, enable, roll and delete. */
@Service
public class KeyManagement {

    public enum DeleteResult { DELETED, NOT_FOUND }

    private final CommandGateway commands;
    private final ProjectManagement projects;
    private final KeyProjection keys;
    private final KeyHistory history;
    private final KeyPolicy policy;
    private final ServiceCatalog catalog;
    private final VerificationCache verifications;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public KeyManagement(CommandGateway commands, ProjectManagement projects, KeyProjection keys, KeyHistory history,
                         KeyPolicy policy, ServiceCatalog catalog, VerificationCache verifications, Clock clock) {
        this.commands = commands;
        this.projects = projects;
        this.keys = keys;
        this.history = history;
        this.policy = policy;
        this.catalog = catalog;
        this.verifications = verifications;
        this.clock = clock;
    }

    /**
     * Creates a key for the caller, or, for a tenant admin or the operator, for another member.
     *
     * @param userId    the member to create it for; null means the caller
     * @param validDays null means the configured default
     */
    public CreatedKey create(Principal principal, String projectId, String userId, String name, Integer validDays) {
        return create(principal, projectId, userId, name, validDays, null, null);
    }

    /**
     * @param services     the services the key may be verified for, or null for all
     * @param allowedCidrs the networks it may be presented from, or null for any
     */
    public CreatedKey create(Principal principal, String projectId, String userId, String name, Integer validDays,
                             List<String> services, List<String> allowedCidrs) {
        enterProject(principal, projectId);
        String owner = ownerFor(principal, userId);
        KeyServices scopeServices = KeyServices.parse(services, catalog);
        AllowedCidrs scopeCidrs = AllowedCidrs.parse(allowedCidrs);
        if (!isOwnKey(principal, owner)) {
            // a member's own: their key of this project is valid, so the membership exists, and should it end
            // meanwhile, the membership refuses the key itself; anyone else's is looked up (no membership, no
            // aggregate to refuse it)
            projects.ensureMember(projectId, owner);
        }
        int days = validDays == null ? policy.defaultValidDays() : validDays;
        policy.checkValidDays(days);
        KeySecret secret = KeySecret.generate(random);
        UUID keyId = UUID.randomUUID();
        KeyCreated created = commands.sendAndWait(new CreateKey(projectId, owner, keyId, name, secret.hash(),
                secret.masked(), days, scopeServices, scopeCidrs));
        return new CreatedKey(KeyChanges.created(created), secret);
    }

    private static boolean isOwnKey(Principal principal, String owner) {
        return principal instanceof Principal.Member member && member.userId().equals(owner);
    }

    private static String ownerFor(Principal principal, String userId) {
        if (principal instanceof Principal.Member member) {
            if (userId == null || userId.equals(member.userId())) {
                return member.userId();
            }
            if (!member.isTenantAdmin()) {
                throw new Forbidden("Only a tenant admin may create keys for another member.");
            }
            return userId;
        }
        if (userId == null) {
            throw new InvalidValue("userId", "is required when the operator creates a key");
        }
        return userId;
    }

    /** A tenant user sees their own keys only, whatever userId they filter on. */
    public KeyPage list(Principal principal, String projectId, String userId, KeyStatus status, int limit,
                        String cursor) {
        return list(principal, projectId, userId, status, null, null, limit, cursor);
    }

    /**
     * @param expiringWithinDays only active keys that expire within this many days (1-365), or null
     * @param idleDays           only keys unused for this many days (1-365), or null
     */
    public KeyPage list(Principal principal, String projectId, String userId, KeyStatus status,
                        Integer expiringWithinDays, Integer idleDays, int limit, String cursor) {
        checkDays("expiringWithinDays", expiringWithinDays);
        checkDays("idleDays", idleDays);
        enterProject(principal, projectId);
        Optional<String> own = Access.onlyOwnOf(principal);
        if (own.isPresent()) {
            if (userId != null && !userId.equals(own.get())) {
                return new KeyPage(List.of(), null);
            }
            userId = own.get();
        }
        return keys.memberKeys(projectId, userId, status, expiringWithinDays, idleDays, clock.instant(), limit,
                cursor);
    }

    private static void checkDays(String field, Integer days) {
        if (days != null && (days < 1 || days > 365)) {
            throw new InvalidValue(field, "must be between 1 and 365");
        }
    }

    public KeyView get(Principal principal, String projectId, UUID keyId) {
        enterProject(principal, projectId);
        return visible(principal, projectId, keys.findLive(keyId));
    }

    /** The key as it stood at that time, rebuilt from the events; also a key deleted since. */
    public KeyView getAsOf(Principal principal, String projectId, UUID keyId, Instant asOf) {
        enterProject(principal, projectId);
        KeyView key = visible(principal, projectId, keys.find(keyId));
        return history.asOf(key, asOf).orElseThrow(KeyManagement::keyNotFound);
    }

    public KeyView extend(Principal principal, String projectId, UUID keyId, int days) {
        enterProject(principal, projectId);
        KeyView key = visible(principal, projectId, keys.findLive(keyId));
        commands.sendAndWait(new ExtendKey(projectId, key.userId(), keyId, days));
        return keys.findLive(keyId).orElseThrow(KeyManagement::keyNotFound);
    }

    /** @param name the new name, or null for none */
    public KeyView rename(Principal principal, String projectId, UUID keyId, String name) {
        enterProject(principal, projectId);
        KeyView key = visible(principal, projectId, keys.findLive(keyId));
        commands.sendAndWait(new RenameKey(projectId, key.userId(), keyId, name));
        return keys.findLive(keyId).orElseThrow(KeyManagement::keyNotFound);
    }

    /** Returns once the key is refused on every node, as a deletion does. */
    public KeyView disable(Principal principal, String projectId, UUID keyId) {
        enterProject(principal, projectId);
        KeyView key = visible(principal, projectId, keys.findLive(keyId));
        commands.sendAndWait(new DisableKey(projectId, key.userId(), keyId));
        verifications.awaitRevoked(List.of(keyId));
        return keys.findLive(keyId).orElseThrow(KeyManagement::keyNotFound);
    }

    public KeyView enable(Principal principal, String projectId, UUID keyId) {
        enterProject(principal, projectId);
        KeyView key = visible(principal, projectId, keys.findLive(keyId));
        commands.sendAndWait(new EnableKey(projectId, key.userId(), keyId));
        return keys.findLive(keyId).orElseThrow(KeyManagement::keyNotFound);
    }

    /**
     * A new key in the old one's place, its secret returned once; the old key works until its grace ends. With no
     * grace, the old key is refused on every node when this returns.
     *
     * @param graceHours null means the default, 24
     */
    public CreatedKey roll(Principal principal, String projectId, UUID keyId, Integer graceHours) {
        enterProject(principal, projectId);
        KeyView key = visible(principal, projectId, keys.findLive(keyId));
        int grace = graceHours == null ? RollKey.DEFAULT_GRACE_HOURS : graceHours;
        KeyPolicy.checkGraceHours(grace);
        KeySecret secret = KeySecret.generate(random);
        UUID newKeyId = UUID.randomUUID();
        commands.sendAndWait(new RollKey(projectId, key.userId(), keyId, newKeyId, secret.hash(), secret.masked(),
                grace));
        if (grace == 0) {
            verifications.awaitRevoked(List.of(keyId));
        }
        return new CreatedKey(keys.findLive(newKeyId).orElseThrow(), secret);
    }

    public void delete(Principal principal, String projectId, UUID keyId) {
        enterProject(principal, projectId);
        deleteVisible(principal, projectId, keyId);
        verifications.awaitRevoked(List.of(keyId));
    }

    /** Deletes each key the caller may delete; every other id, seen or not, is reported NOT_FOUND. */
    public Map<UUID, DeleteResult> deleteAll(Principal principal, String projectId, List<UUID> keyIds) {
        enterProject(principal, projectId);
        Map<UUID, DeleteResult> results = new LinkedHashMap<>();
        try {
            for (UUID keyId : keyIds) {
                try {
                    deleteVisible(principal, projectId, keyId);
                    results.put(keyId, DeleteResult.DELETED);
                } catch (DomainException e) {
                    if (e.code() != ErrorCode.KEY_NOT_FOUND) {
                        throw e;
                    }
                    results.putIfAbsent(keyId, DeleteResult.NOT_FOUND);
                }
            }
        } finally {
            // also when a later key failed: those already deleted must be refused everywhere before the answer
            verifications.awaitRevoked(results.entrySet().stream()
                    .filter(result -> result.getValue() == DeleteResult.DELETED).map(Map.Entry::getKey).toList());
        }
        return results;
    }

    /** The caller acts in this project (or is the operator), and the project exists. */
    private void enterProject(Principal principal, String projectId) {
        Access.ensureInProject(principal, projectId);
        projects.ensureProjectExists(projectId);
    }

    private void deleteVisible(Principal principal, String projectId, UUID keyId) {
        KeyView key = visible(principal, projectId, keys.findLive(keyId));
        commands.sendAndWait(new DeleteKey(projectId, key.userId(), keyId, reason(principal, key)));
    }

    /** The member key of this project, if the caller may see it; else KEY_NOT_FOUND, whether or not it exists. */
    private static KeyView visible(Principal principal, String projectId, Optional<KeyView> found) {
        return found
                .filter(key -> key.type() == KeyType.MEMBER && key.projectId().equals(projectId))
                .filter(key -> Access.canSee(principal, key))
                .orElseThrow(KeyManagement::keyNotFound);
    }

    private static KeyDeletionReason reason(Principal principal, KeyView key) {
        if (principal instanceof Principal.Member member) {
            return member.userId().equals(key.userId()) ? KeyDeletionReason.BY_OWNER
                    : KeyDeletionReason.BY_TENANT_ADMIN;
        }
        return KeyDeletionReason.BY_OPERATOR;
    }

    private static DomainException keyNotFound() {
        return new DomainException(ErrorCode.KEY_NOT_FOUND, "Key not found.");
    }
}
