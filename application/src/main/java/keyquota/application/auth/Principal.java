package keyquota.application.auth;

import keyquota.domain.Role;

import java.time.Instant;
import java.util.UUID;

/** Who is calling: whom the presented key authenticates. */
public sealed interface Principal {

    UUID keyId();

    /** The platform operator: may do everything. */
    record Operator(UUID keyId) implements Principal {
    }

    /** A project member, acting inside their project with the role their key was created for. */
    record Member(UUID keyId, String projectId, String userId, Role role, Instant expiresAt) implements Principal {

        public boolean isTenantAdmin() {
            return role == Role.TENANT_ADMIN;
        }
    }

    /** A cloud service: verifies keys and reports usage of its service, or of every service when service is null. */
    record Service(UUID keyId, String service) implements Principal {
    }
}
