package keyquota.api.quota;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;

import java.util.Map;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.setMemberQuota;
import static keyquota.api.quota.Quotas.setProjectQuota;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of the quota API tests: the services they use, and projects set up for them step by step. A base class
 * and not a helper of its own, because the setup is made of {@link ApiTest}'s operator requests.
 */
abstract class QuotaTest extends ApiTest {

    static final String CCS = "CCS";
    static final String VCS = "VCS";

    /** The user id of the member with this number, as {@link ProjectSetup#tenantUsers(int)} adds them. */
    static String user(int number) {
        return "user" + number;
    }

    /** A new project, to be given the members, quotas and usage a test starts from. */
    ProjectSetup newProject() {
        return new ProjectSetup(createProject());
    }

    /**
     * A project being set up. Every step checks its answer, so a test whose starting point could not be made fails
     * at that step and not at a later assertion about something else.
     */
    final class ProjectSetup {

        private final String projectId;

        private ProjectSetup(String projectId) {
            this.projectId = projectId;
        }

        String id() {
            return projectId;
        }

        ProjectSetup tenantAdmin(String userId) {
            addMember(projectId, userId, "TENANT_ADMIN");
            return this;
        }

        ProjectSetup tenantUser(String userId) {
            addMember(projectId, userId, "TENANT_USER");
            return this;
        }

        /** That many tenant users, numbered from 0: {@link QuotaTest#user(int)} names them. */
        ProjectSetup tenantUsers(int count) {
            for (int number = 0; number < count; number++) {
                tenantUser(user(number));
            }
            return this;
        }

        /** The project quota of the service, set by the operator. */
        ProjectSetup projectQuota(String service, Map<String, ?> quota) {
            expect(200, setProjectQuota(api, OPERATOR, projectId, service, quota));
            return this;
        }

        /** The member's quota of the service, set by the operator. */
        ProjectSetup memberQuota(String service, String userId, Map<String, ?> quota) {
            expect(200, setMemberQuota(api, OPERATOR, projectId, service, userId, "", quota));
            return this;
        }

        /** Usage: a new allocation made with this key. */
        ProjectSetup allocation(String key, String service, String allocationId, String userId,
                                Map<String, ?> resources) {
            expect(201, allocate(api, key, projectId, service, allocationId, userId, resources));
            return this;
        }

        private void expect(int status, Api.Response response) {
            assertThat(response.status()).as(response.raw()).isEqualTo(status);
        }
    }
}
