package keyquota.application.auth;

import keyquota.domain.Role;
import keyquota.projections.key.KeyType;
import keyquota.projections.key.KeyView;

import java.time.Instant;
import java.util.UUID;

/** The callers and keys the application's fast tests act with, at one fixed moment. */
public final class Callers {

    public static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private Callers() {
    }

    public static Principal operator() {
        return new Principal.Operator(UUID.randomUUID());
    }

    /** @param service the service it reports usage of, or null for every service */
    public static Principal service(String service) {
        return new Principal.Service(UUID.randomUUID(), service);
    }

    /** A member acting with a key that is valid for another hour. */
    public static Principal member(String projectId, String userId, Role role) {
        return new Principal.Member(UUID.randomUUID(), projectId, userId, role, NOW.plusSeconds(3600));
    }

    /** A live tenant user's key, made at {@link #NOW} and valid for a day. */
    public static KeyView memberKey(String projectId, String userId) {
        return new KeyView(UUID.randomUUID(), KeyType.MEMBER, "laptop", "kq_Ab1…xY9z", projectId, userId,
                Role.TENANT_USER, null, NOW, NOW.plusSeconds(86_400), false, false, null, null, null, null, null);
    }
}
