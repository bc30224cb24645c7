package keyquota.api.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The people of a test's project, in the roles the domain gives them, put there by the operator. Tests say who
 * is in the project ("bob, a tenant user") rather than how the operator's requests put him there.
 */
public final class Members {

    private final ApiTest test;

    public Members(ApiTest test) {
        this.test = test;
    }

    /** A tenant admin of the project, returning the secret of a key the operator made them. */
    public String tenantAdmin(String projectId, String userId) {
        return test.memberKey(projectId, userId, "TENANT_ADMIN");
    }

    /** A tenant user of the project, returning the secret of a key the operator made them. */
    public String tenantUser(String projectId, String userId) {
        return test.memberKey(projectId, userId, "TENANT_USER");
    }

    /** A tenant admin of the project who has no key yet. */
    public void addTenantAdmin(String projectId, String userId) {
        test.addMember(projectId, userId, "TENANT_ADMIN");
    }

    /** A tenant user of the project who has no key yet. */
    public void addTenantUser(String projectId, String userId) {
        test.addMember(projectId, userId, "TENANT_USER");
    }

    /** The id of a new key the operator made for the member. */
    public String keyIdFor(String projectId, String userId) {
        return test.createKey(projectId, userId).text("keyId");
    }

    /** The ids of this many new keys the operator made for the member, in the order they were made. */
    public List<String> keyIdsFor(String projectId, String userId, int count) {
        List<String> keyIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keyIds.add(keyIdFor(projectId, userId));
        }
        return keyIds;
    }
}
