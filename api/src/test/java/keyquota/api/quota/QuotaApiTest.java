package keyquota.api.quota;

import keyquota.api.support.Api;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.amounts;
import static keyquota.api.quota.Quotas.assertExceeded;
import static keyquota.api.quota.Quotas.assertInvalid;
import static keyquota.api.quota.Quotas.assertProblem;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.path;
import static keyquota.api.quota.Quotas.projectQuota;
import static keyquota.api.quota.Quotas.projectUsage;
import static keyquota.api.quota.Quotas.release;
import static keyquota.api.quota.Quotas.row;
import static keyquota.api.quota.Quotas.serviceKey;
import static keyquota.api.quota.Quotas.setMemberQuota;
import static keyquota.api.quota.Quotas.setProjectQuota;
import static keyquota.api.quota.Quotas.vcs;
import static keyquota.api.quota.Quotas.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** "Resource quotas" of the contract, through HTTP: every endpoint, who may call it, its statuses and codes. */
class QuotaApiTest extends QuotaTest {

    @Nested
    class Catalog {

        @Test
        void theCatalogListsEveryServiceAndItsResourcesToAnyKey() {
            String project = createProject();
            String user = memberKey(project, "bob", "TENANT_USER");
            for (String key : List.of(OPERATOR, user, serviceKey(api, OPERATOR, VCS))) {
                Api.Response catalog = api.get("/api/v1/services", key);
                assertThat(catalog.status()).as(catalog.raw()).isEqualTo(200);
                JsonNode services = catalog.body().path("services");
                assertThat(services.findValuesAsString("service")).containsExactly("CCS", "VCS");
                assertThat(services.get(0).path("resources").valueStream().map(JsonNode::asString))
                        .containsExactly("cpu", "gpu", "memory");
                assertThat(services.get(1).path("resources").valueStream().map(JsonNode::asString))
                        .containsExactly("cpu", "gpu", "memory", "floating_ip");
                assertThat(services.findValuesAsString("name")).allSatisfy(name -> assertThat(name).isNotBlank());
            }
            assertProblem(api.get("/api/v1/services", null), 401, "UNAUTHENTICATED");
        }
    }

    @Nested
    class Views {

        @Test
        void aNewProjectHasQuotaZeroForEveryResourceAndMembersMinusOne() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob").id();

            Api.Response ccs = view(api, OPERATOR, project, CCS);
            assertThat(ccs.status()).as(ccs.raw()).isEqualTo(200);
            assertThat(ccs.text("projectId")).isEqualTo(project);
            assertThat(ccs.text("service")).isEqualTo(CCS);
            assertThat(projectQuota(ccs.body())).isEqualTo(ccs(0, 0, 0));
            assertThat(List.copyOf(projectQuota(ccs.body()).keySet())).containsExactly("cpu", "gpu", "memory");
            assertThat(projectUsage(ccs.body())).isEqualTo(ccs(0, 0, 0));
            assertThat(ccs.body().path("members").findValuesAsString("userId")).containsExactly("alice", "bob");
            assertThat(row(ccs.body(), "alice").path("role").asString()).isEqualTo("TENANT_ADMIN");
            assertThat(row(ccs.body(), "bob").path("role").asString()).isEqualTo("TENANT_USER");
            for (String userId : List.of("alice", "bob")) {
                assertThat(amounts(row(ccs.body(), userId).path("quota"))).isEqualTo(ccs(-1, -1, -1));
                assertThat(amounts(row(ccs.body(), userId).path("usage"))).isEqualTo(ccs(0, 0, 0));
                assertThat(row(ccs.body(), userId).path("overQuota").isBoolean()).isTrue();
                assertThat(row(ccs.body(), userId).path("overQuota").asBoolean()).isFalse();
            }
            assertThat(ccs.body().has("acceptable")).isFalse();

            Api.Response vcs = view(api, OPERATOR, project, VCS);
            assertThat(projectQuota(vcs.body())).isEqualTo(vcs(0, 0, 0, 0));
            assertThat(amounts(row(vcs.body(), "bob").path("quota"))).isEqualTo(vcs(-1, -1, -1, -1));
        }

        @Test
        void membersAndTheOperatorSeeTheViewAndATenantUserOnlyTheirOwnRow() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob").tenantUser("carol")
                    .projectQuota(CCS, Map.of("cpu", 10)).id();
            String admin = keyFor(project, "alice");
            String bob = keyFor(project, "bob");

            for (String key : List.of(OPERATOR, admin)) {
                Api.Response all = view(api, key, project, CCS);
                assertThat(all.status()).as(all.raw()).isEqualTo(200);
                assertThat(all.body().path("members").findValuesAsString("userId"))
                        .containsExactly("alice", "bob", "carol");
            }
            Api.Response own = view(api, bob, project, CCS);
            assertThat(own.status()).as(own.raw()).isEqualTo(200);
            assertThat(projectQuota(own.body())).isEqualTo(ccs(10, 0, 0));
            assertThat(projectUsage(own.body())).isEqualTo(ccs(0, 0, 0));
            assertThat(own.body().path("members").findValuesAsString("userId")).containsExactly("bob");
        }

        @Test
        void theSummaryShowsTheProjectTotalsOfEveryService() {
            String project = newProject().tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 10, "memory", 64))
                    .projectQuota(VCS, Map.of("floating_ip", 2))
                    .allocation(OPERATOR, CCS, "s1", "bob", Map.of("cpu", 4)).id();
            String bob = keyFor(project, "bob");

            for (String key : List.of(OPERATOR, bob)) {
                Api.Response summary = api.get(path(project), key);
                assertThat(summary.status()).as(summary.raw()).isEqualTo(200);
                JsonNode services = summary.body().path("services");
                assertThat(services.findValuesAsString("service")).containsExactly("CCS", "VCS");
                assertThat(amounts(services.get(0).path("project").path("quota"))).isEqualTo(ccs(10, 0, 64));
                assertThat(amounts(services.get(0).path("project").path("usage"))).isEqualTo(ccs(4, 0, 0));
                assertThat(amounts(services.get(1).path("project").path("quota"))).isEqualTo(vcs(0, 0, 0, 2));
                assertThat(amounts(services.get(1).path("project").path("usage"))).isEqualTo(vcs(0, 0, 0, 0));
            }
        }

        @Test
        void aViewAsOfAnEarlierTimeShowsTheQuotaAsItStoodThen() {
            String project = newProject().projectQuota(CCS, Map.of("cpu", 5)).id();
            Instant between = clock.instant();
            // the store keeps event times to the millisecond: a change in the same one would count as before it
            clock.advance(Duration.ofSeconds(1));
            assertThat(setProjectQuota(api, OPERATOR, project, CCS, Map.of("cpu", 7)).status()).isEqualTo(200);

            Api.Response then = api.get(path(project, CCS) + "?asOf=" + between, OPERATOR);
            assertThat(then.status()).as(then.raw()).isEqualTo(200);
            assertThat(projectQuota(then.body())).isEqualTo(ccs(5, 0, 0));
            assertThat(projectQuota(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(7, 0, 0));

            assertProblem(api.get(path(project, CCS) + "?asOf=yesterday", OPERATOR), 400, "VALIDATION_FAILED");
        }
    }

    /** What the quota endpoints tell keys that may not use them, and requests for what does not exist. */
    @Nested
    class Access {

        @Test
        void aServiceKeyCannotReadQuotas() {
            String project = createProject();
            String service = serviceKey(api, OPERATOR, CCS);
            assertProblem(view(api, service, project, CCS), 403, "FORBIDDEN");
            assertProblem(api.get(path(project), service), 403, "FORBIDDEN");
            assertProblem(setProjectQuota(api, service, project, CCS, Map.of("cpu", 1)), 403, "FORBIDDEN");
            addMember(project, "bob", "TENANT_USER");
            assertProblem(setMemberQuota(api, service, project, CCS, "bob", "", Map.of("cpu", 0)), 403,
                    "FORBIDDEN");
        }

        @Test
        void anotherProjectsMemberIsToldTheProjectDoesNotExist() {
            String project = newProject().tenantUser("bob").id();
            String other = createProject();
            String strangerAdmin = memberKey(other, "mallory", "TENANT_ADMIN");

            assertProblem(view(api, strangerAdmin, project, CCS), 404, "PROJECT_NOT_FOUND");
            assertProblem(api.get(path(project), strangerAdmin), 404, "PROJECT_NOT_FOUND");
            assertProblem(setProjectQuota(api, strangerAdmin, project, CCS, Map.of("cpu", 1)), 404,
                    "PROJECT_NOT_FOUND");
            assertProblem(setMemberQuota(api, strangerAdmin, project, CCS, "bob", "", Map.of("cpu", 0)), 404,
                    "PROJECT_NOT_FOUND");
        }

        @Test
        void aMemberKeyOfAnotherProjectCannotTellThatTheProjectExistsWhenAllocating() {
            String project = newProject().tenantUser("bob").id();
            String other = createProject();
            String stranger = memberKey(other, "mallory", "TENANT_ADMIN");

            assertProblem(allocate(api, stranger, project, CCS, "a1", "bob", Map.of("cpu", 1)), 404,
                    "PROJECT_NOT_FOUND");
            assertProblem(release(api, stranger, project, CCS, "a1"), 404, "PROJECT_NOT_FOUND");
        }

        @Test
        void unknownProjectsAndServicesAreNotFound() {
            String project = newProject().tenantUser("bob").id();
            String missing = "NOPE-" + project;

            assertProblem(view(api, OPERATOR, missing, CCS), 404, "PROJECT_NOT_FOUND");
            assertProblem(api.get(path(missing), OPERATOR), 404, "PROJECT_NOT_FOUND");
            assertProblem(setProjectQuota(api, OPERATOR, missing, CCS, Map.of("cpu", 1)), 404,
                    "PROJECT_NOT_FOUND");
            assertProblem(allocate(api, OPERATOR, missing, CCS, "a1", "bob", Map.of("cpu", 1)), 404,
                    "PROJECT_NOT_FOUND");

            assertProblem(view(api, OPERATOR, project, "XCS"), 404, "SERVICE_NOT_FOUND");
            assertProblem(view(api, OPERATOR, project, "ccs"), 404, "SERVICE_NOT_FOUND");
            assertProblem(setProjectQuota(api, OPERATOR, project, "XCS", Map.of("cpu", 1)), 404,
                    "SERVICE_NOT_FOUND");
            assertProblem(setMemberQuota(api, OPERATOR, project, "XCS", "bob", "", Map.of("cpu", 0)), 404,
                    "SERVICE_NOT_FOUND");
            assertProblem(allocate(api, OPERATOR, project, "XCS", "a1", "bob", Map.of("cpu", 1)), 404,
                    "SERVICE_NOT_FOUND");
            assertProblem(release(api, OPERATOR, project, "XCS", "a1"), 404, "SERVICE_NOT_FOUND");
        }
    }

    /** Shared by the project and the member quota: a quota body is checked the same way for both. */
    static Stream<Arguments> badQuotaBodies() {
        return Stream.of(
                arguments("{\"quota\":{\"cpu\":-2}}", "quota.cpu"),
                arguments("{\"quota\":{\"cpu\":\"5\"}}", "quota.cpu"),
                arguments("{\"quota\":{\"cpu\":1.5}}", "quota.cpu"),
                arguments("{\"quota\":{\"cpu\":true}}", "quota.cpu"),
                arguments("{\"quota\":{\"cpu\":null}}", "quota.cpu"),
                arguments("{\"quota\":{\"gpus\":1}}", "quota.gpus"),
                arguments("{\"quota\":{\"floating_ip\":1}}", "quota.floating_ip"),
                arguments("{\"quota\":{}}", "quota"),
                arguments("{\"quota\":[1]}", "quota"),
                arguments("{}", "quota"),
                arguments("{\"quota\":{\"cpu\":5},\"force\":true}", "force"),
                arguments("{\"quota\":{\"cpu\":5}", "body"));
    }

    @Nested
    class ProjectQuota {

        @Test
        void theOperatorSetsTheProjectQuotaAndEveryoneReadsItAtOnce() {
            String project = createProject();
            String bob = memberKey(project, "bob", "TENANT_USER");

            Api.Response set = setProjectQuota(api, OPERATOR, project, CCS, Map.of("cpu", 20, "gpu", 2));
            assertThat(set.status()).as(set.raw()).isEqualTo(200);
            assertThat(set.text("projectId")).isEqualTo(project);
            assertThat(set.text("service")).isEqualTo(CCS);
            assertThat(projectQuota(set.body())).isEqualTo(ccs(20, 2, 0));
            assertThat(projectUsage(set.body())).isEqualTo(ccs(0, 0, 0));
            assertThat(amounts(row(set.body(), "bob").path("quota"))).isEqualTo(ccs(-1, -1, -1));
            assertThat(set.body().has("acceptable")).isFalse();
            assertThat(projectQuota(view(api, bob, project, CCS).body())).isEqualTo(ccs(20, 2, 0));

            Api.Response partial = setProjectQuota(api, OPERATOR, project, CCS, Map.of("memory", 64, "gpu", -1));
            assertThat(partial.status()).as(partial.raw()).isEqualTo(200);
            assertThat(projectQuota(partial.body())).isEqualTo(ccs(20, -1, 64));
            assertThat(projectQuota(view(api, bob, project, CCS).body())).isEqualTo(ccs(20, -1, 64));

            Api.Response same = setProjectQuota(api, OPERATOR, project, CCS, Map.of("cpu", 20));
            assertThat(same.status()).as(same.raw()).isEqualTo(200);
            assertThat(projectQuota(same.body())).isEqualTo(ccs(20, -1, 64));
            assertThat(projectQuota(view(api, OPERATOR, project, VCS).body())).isEqualTo(vcs(0, 0, 0, 0));
        }

        @Test
        void onlyTheOperatorSetsTheProjectQuota() {
            String project = createProject();
            String admin = memberKey(project, "alice", "TENANT_ADMIN");
            String user = memberKey(project, "bob", "TENANT_USER");

            assertProblem(setProjectQuota(api, admin, project, CCS, Map.of("cpu", 10)), 403, "FORBIDDEN");
            assertProblem(setProjectQuota(api, user, project, CCS, Map.of("cpu", 10)), 403, "FORBIDDEN");
            assertProblem(setProjectQuota(api, null, project, CCS, Map.of("cpu", 10)), 401, "UNAUTHENTICATED");
            assertThat(projectQuota(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));
        }

        @ParameterizedTest
        @MethodSource("keyquota.api.quota.QuotaApiTest#badQuotaBodies")
        void aBadProjectQuotaBodyIsRejectedNamingTheField(String body, String field) {
            String project = newProject().projectQuota(CCS, Map.of("cpu", 3)).id();

            assertInvalid(api.put(path(project, CCS), OPERATOR, body), field);
            assertThat(projectQuota(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(3, 0, 0));
        }

        @Test
        void aNumberTooLargeForAQuotaIsAValidationFailure() {
            String project = createProject();
            Api.Response tooLarge = api.put(path(project, CCS), OPERATOR,
                    "{\"quota\":{\"cpu\":99999999999999999999}}");
            assertProblem(tooLarge, 400, "VALIDATION_FAILED");
            assertThat(tooLarge.body().path("errors").size()).as(tooLarge.raw()).isEqualTo(1);
            assertThat(projectQuota(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));
        }

        @Test
        void aProjectQuotaBelowUsageIsRejectedUnlessForced() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10, "gpu", 2))
                    .allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 6)).id();

            assertProblem(setProjectQuota(api, OPERATOR, project, CCS, Map.of("cpu", 5)), 409, "QUOTA_BELOW_USAGE");
            assertThat(projectQuota(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(10, 2, 0));

            Api.Response forced = api.put(path(project, CCS) + "?force=true", OPERATOR,
                    Api.json("quota", Map.of("cpu", 5)));
            assertThat(forced.status()).as(forced.raw()).isEqualTo(200);
            assertThat(projectQuota(forced.body())).isEqualTo(ccs(5, 2, 0));
            assertThat(projectUsage(forced.body())).isEqualTo(ccs(6, 0, 0));

            assertExceeded(allocate(api, OPERATOR, project, CCS, "a2", "bob", Map.of("cpu", 1)), "PROJECT", "cpu",
                    1, 0);
            assertThat(allocate(api, OPERATOR, project, CCS, "a3", "bob", Map.of("gpu", 1)).status()).isEqualTo(201);
            assertThat(release(api, OPERATOR, project, CCS, "a1").status()).isEqualTo(204);
            assertThat(allocate(api, OPERATOR, project, CCS, "a4", "bob", Map.of("cpu", 5)).status()).isEqualTo(201);
        }

        @Test
        void aProjectQuotaBelowAMembersQuotaIsRejectedUnlessForced() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                    .memberQuota(CCS, "bob", Map.of("cpu", 8)).id();

            assertProblem(setProjectQuota(api, OPERATOR, project, CCS, Map.of("cpu", 6)), 409,
                    "QUOTA_ABOVE_PROJECT");
            assertThat(projectQuota(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(10, 0, 0));

            Api.Response forced = api.put(path(project, CCS) + "?force=true", OPERATOR,
                    Api.json("quota", Map.of("cpu", 6)));
            assertThat(forced.status()).as(forced.raw()).isEqualTo(200);
            assertThat(projectQuota(forced.body())).isEqualTo(ccs(6, 0, 0));
        }

        @Test
        void aProjectDryRunAnswersTheAcceptableRangesAndChangesNothing() {
            String project = newProject().tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 10, "gpu", 2, "memory", 64))
                    .memberQuota(CCS, "bob", Map.of("cpu", 8))
                    .allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 2, "gpu", 1)).id();

            Api.Response dryRun = api.put(path(project, CCS) + "?dryRun=true", OPERATOR,
                    Api.json("quota", Map.of("cpu", 30)));
            assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(200);
            JsonNode acceptable = dryRun.body().path("acceptable");
            assertThat(acceptable.propertyNames()).containsExactly("cpu", "gpu", "memory");
            assertRange(acceptable.path("cpu"), 8, -1);
            assertRange(acceptable.path("gpu"), 1, -1);
            assertRange(acceptable.path("memory"), 0, -1);
            assertThat(projectQuota(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(10, 2, 64));
        }

        @Test
        void settingTheDefaultsOfANewProjectChangesNothingAndBreaksNothing() {
            String project = newProject().tenantUser("bob").id();

            Api.Response zero = setProjectQuota(api, OPERATOR, project, CCS, Map.of("cpu", 0));
            assertThat(zero.status()).as(zero.raw()).isEqualTo(200);
            assertThat(projectQuota(zero.body())).isEqualTo(ccs(0, 0, 0));
            Api.Response dryRun = setMemberQuota(api, OPERATOR, project, CCS, "bob", "?dryRun=true",
                    Map.of("cpu", 0));
            assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(200);
            assertRange(dryRun.body().path("acceptable").path("cpu"), 0, 0);
            Api.Response unchanged = setMemberQuota(api, OPERATOR, project, CCS, "bob", "", Map.of("cpu", -1));
            assertThat(unchanged.status()).as(unchanged.raw()).isEqualTo(200);

            Api.Response set = setProjectQuota(api, OPERATOR, project, CCS, Map.of("cpu", 4));
            assertThat(set.status()).as(set.raw()).isEqualTo(200);
            assertThat(projectQuota(set.body())).isEqualTo(ccs(4, 0, 0));
            assertThat(allocate(api, OPERATOR, project, CCS, "a1", "bob", Map.of("cpu", 4)).status()).isEqualTo(201);
        }
    }

    @Nested
    class MemberQuotas {

        @Test
        void aTenantAdminAndTheOperatorSetMemberQuotas() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 20, "gpu", 2, "memory", 64)).id();
            String admin = keyFor(project, "alice");
            String bob = keyFor(project, "bob");

            Api.Response byAdmin = setMemberQuota(api, admin, project, CCS, "bob", "", Map.of("cpu", 5));
            assertThat(byAdmin.status()).as(byAdmin.raw()).isEqualTo(200);
            assertThat(byAdmin.text("projectId")).isEqualTo(project);
            assertThat(byAdmin.text("service")).isEqualTo(CCS);
            assertThat(byAdmin.text("userId")).isEqualTo("bob");
            assertThat(byAdmin.text("role")).isEqualTo("TENANT_USER");
            assertThat(amounts(byAdmin.body().path("quota"))).isEqualTo(ccs(5, -1, -1));
            assertThat(amounts(byAdmin.body().path("usage"))).isEqualTo(ccs(0, 0, 0));
            assertThat(byAdmin.body().path("overQuota").asBoolean()).isFalse();
            assertThat(byAdmin.body().has("acceptable")).isFalse();

            Api.Response byOperator = setMemberQuota(api, OPERATOR, project, CCS, "bob", "", Map.of("gpu", 2));
            assertThat(byOperator.status()).as(byOperator.raw()).isEqualTo(200);
            assertThat(amounts(byOperator.body().path("quota"))).isEqualTo(ccs(5, 2, -1));
            Api.Response own = setMemberQuota(api, admin, project, CCS, "alice", "", Map.of("memory", 64));
            assertThat(own.status()).as(own.raw()).isEqualTo(200);

            JsonNode seenByBob = view(api, bob, project, CCS).body();
            assertThat(amounts(row(seenByBob, "bob").path("quota"))).isEqualTo(ccs(5, 2, -1));
            JsonNode seenByAdmin = view(api, admin, project, CCS).body();
            assertThat(amounts(row(seenByAdmin, "alice").path("quota"))).isEqualTo(ccs(-1, -1, 64));
            assertThat(amounts(row(seenByAdmin, "bob").path("quota"))).isEqualTo(ccs(5, 2, -1));
        }

        @Test
        void aTenantUserCannotSetMemberQuotasNotEvenTheirOwn() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 20)).id();
            String bob = keyFor(project, "bob");

            assertProblem(setMemberQuota(api, bob, project, CCS, "bob", "", Map.of("cpu", 5)), 403, "FORBIDDEN");
            assertThat(amounts(row(view(api, bob, project, CCS).body(), "bob").path("quota")))
                    .isEqualTo(ccs(-1, -1, -1));
        }

        @Test
        void onlyCurrentMembersAreGivenQuotas() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 20)).id();
            String admin = keyFor(project, "alice");

            assertProblem(setMemberQuota(api, admin, project, CCS, "nobody", "", Map.of("cpu", 5)), 404,
                    "MEMBER_NOT_FOUND");
            assertThat(api.delete("/api/v1/projects/" + project + "/members/bob", OPERATOR).status())
                    .isEqualTo(204);
            assertProblem(setMemberQuota(api, OPERATOR, project, CCS, "bob", "", Map.of("cpu", 5)), 404,
                    "MEMBER_NOT_FOUND");
            assertThat(view(api, OPERATOR, project, CCS).body().path("members").findValuesAsString("userId"))
                    .containsExactly("alice");
        }

        @Test
        void aMemberQuotaAboveTheProjectQuotaIsRejectedEvenWithForce() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10, "gpu", -1)).id();

            Api.Response above = setMemberQuota(api, OPERATOR, project, CCS, "bob", "", Map.of("cpu", 11));
            assertProblem(above, 409, "QUOTA_ABOVE_PROJECT");
            assertProblem(setMemberQuota(api, OPERATOR, project, CCS, "bob", "?force=true", Map.of("cpu", 11)), 409,
                    "QUOTA_ABOVE_PROJECT");
            assertProblem(setMemberQuota(api, OPERATOR, project, CCS, "bob", "", Map.of("memory", 1)), 409,
                    "QUOTA_ABOVE_PROJECT");
            assertThat(amounts(row(view(api, OPERATOR, project, CCS).body(), "bob").path("quota")))
                    .isEqualTo(ccs(-1, -1, -1));

            Api.Response underUnlimited = setMemberQuota(api, OPERATOR, project, CCS, "bob", "",
                    Map.of("cpu", 10, "gpu", 1000, "memory", 0));
            assertThat(underUnlimited.status()).as(underUnlimited.raw()).isEqualTo(200);
            assertThat(amounts(underUnlimited.body().path("quota"))).isEqualTo(ccs(10, 1000, 0));
        }

        @Test
        void aMemberQuotaBelowUsageIsRejectedUnlessForcedAndThenThatResourceIsFull() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 20, "gpu", 2))
                    .allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 6)).id();

            assertProblem(setMemberQuota(api, OPERATOR, project, CCS, "bob", "", Map.of("cpu", 4)), 409,
                    "QUOTA_BELOW_USAGE");
            assertThat(amounts(row(view(api, OPERATOR, project, CCS).body(), "bob").path("quota")))
                    .isEqualTo(ccs(-1, -1, -1));

            Api.Response forced = setMemberQuota(api, OPERATOR, project, CCS, "bob", "?force=true",
                    Map.of("cpu", 4));
            assertThat(forced.status()).as(forced.raw()).isEqualTo(200);
            assertThat(amounts(forced.body().path("quota"))).isEqualTo(ccs(4, -1, -1));
            assertThat(amounts(forced.body().path("usage"))).isEqualTo(ccs(6, 0, 0));
            assertThat(forced.body().path("overQuota").asBoolean()).isTrue();
            assertThat(row(view(api, OPERATOR, project, CCS).body(), "bob").path("overQuota").asBoolean()).isTrue();

            assertExceeded(allocate(api, OPERATOR, project, CCS, "a2", "bob", Map.of("cpu", 1)), "MEMBER", "cpu",
                    1, 0);
            assertThat(allocate(api, OPERATOR, project, CCS, "a3", "bob", Map.of("gpu", 1)).status()).isEqualTo(201);

            assertThat(release(api, OPERATOR, project, CCS, "a1").status()).isEqualTo(204);
            JsonNode after = row(view(api, OPERATOR, project, CCS).body(), "bob");
            assertThat(after.path("overQuota").asBoolean()).isFalse();
            assertThat(allocate(api, OPERATOR, project, CCS, "a4", "bob", Map.of("cpu", 4)).status()).isEqualTo(201);
        }

        @Test
        void aMemberDryRunAnswersTheAcceptableRangesAndChangesNothing() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 20, "gpu", -1, "memory", 64))
                    .allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 6, "gpu", 1)).id();
            String admin = keyFor(project, "alice");

            Api.Response dryRun = setMemberQuota(api, admin, project, CCS, "bob", "?dryRun=true", Map.of("cpu", 8));
            assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(200);
            assertThat(dryRun.text("userId")).isEqualTo("bob");
            assertThat(amounts(dryRun.body().path("quota"))).isEqualTo(ccs(8, -1, -1));
            JsonNode acceptable = dryRun.body().path("acceptable");
            assertThat(acceptable.propertyNames()).containsExactly("cpu", "gpu", "memory");
            assertRange(acceptable.path("cpu"), 6, 20);
            assertRange(acceptable.path("gpu"), 1, -1);
            assertRange(acceptable.path("memory"), 0, 64);

            assertThat(amounts(row(view(api, OPERATOR, project, CCS).body(), "bob").path("quota")))
                    .isEqualTo(ccs(-1, -1, -1));
            assertThat(allocate(api, OPERATOR, project, CCS, "a2", "bob", Map.of("cpu", 14)).status())
                    .isEqualTo(201);
        }

        @Test
        void aForcedMemberDryRunBelowUsageShowsTheRowAsOverQuotaAndChangesNothing() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 20))
                    .allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 6)).id();

            Api.Response dryRun = setMemberQuota(api, OPERATOR, project, CCS, "bob", "?dryRun=true&force=true",
                    Map.of("cpu", 5));

            assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(200);
            assertThat(amounts(dryRun.body().path("quota"))).isEqualTo(ccs(5, -1, -1));
            assertThat(dryRun.body().path("overQuota").asBoolean()).isTrue();
            assertThat(row(view(api, OPERATOR, project, CCS).body(), "bob").path("overQuota").asBoolean())
                    .isFalse();
        }

        @Test
        void aMemberDryRunStillRejectsWhatWouldBeRejected() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 20))
                    .allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 6)).id();

            assertProblem(setMemberQuota(api, OPERATOR, project, CCS, "bob", "?dryRun=true", Map.of("cpu", 21)),
                    409, "QUOTA_ABOVE_PROJECT");
            Api.Response below = setMemberQuota(api, OPERATOR, project, CCS, "bob", "?dryRun=true",
                    Map.of("cpu", 5));
            assertProblem(below, 409, "QUOTA_BELOW_USAGE");
            assertRange(below.body().path("acceptable").path("cpu"), 6, 20);
            assertThat(amounts(row(view(api, OPERATOR, project, CCS).body(), "bob").path("quota")))
                    .isEqualTo(ccs(-1, -1, -1));
        }

        @ParameterizedTest
        @MethodSource("keyquota.api.quota.QuotaApiTest#badQuotaBodies")
        void aBadMemberQuotaBodyIsRejectedNamingTheField(String body, String field) {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                    .memberQuota(CCS, "bob", Map.of("cpu", 3)).id();

            assertInvalid(api.put(path(project, CCS) + "/members/bob", OPERATOR, body), field);
            assertThat(amounts(row(view(api, OPERATOR, project, CCS).body(), "bob").path("quota")))
                    .isEqualTo(ccs(3, -1, -1));
        }
    }

    @Nested
    class Allocations {

        @Test
        void aServiceKeyOfThatServiceAllocatesAndTheViewShowsTheUsageAtOnce() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 20, "gpu", 2, "memory", 64)).id();
            String bob = keyFor(project, "bob");
            String ccsService = serviceKey(api, OPERATOR, CCS);

            Api.Response first = allocate(api, ccsService, project, CCS, "job-1", "alice", Map.of("cpu", 2));
            assertThat(first.status()).as(first.raw()).isEqualTo(201);
            Api.Response allocated = allocate(api, ccsService, project, CCS, "job-2", "bob",
                    Map.of("cpu", 3, "memory", 8));
            assertThat(allocated.status()).as(allocated.raw()).isEqualTo(201);
            assertThat(allocated.text("allocationId")).isEqualTo("job-2");
            assertThat(allocated.text("projectId")).isEqualTo(project);
            assertThat(allocated.text("service")).isEqualTo(CCS);
            assertThat(allocated.text("userId")).isEqualTo("bob");
            assertThat(amounts(allocated.body().path("resources"))).isEqualTo(Map.of("cpu", 3L, "memory", 8L));
            assertThat(Instant.parse(allocated.text("allocatedAt"))).isNotNull();
            assertThat(amounts(allocated.body().path("usage").path("member"))).isEqualTo(ccs(3, 0, 8));
            assertThat(amounts(allocated.body().path("usage").path("project"))).isEqualTo(ccs(5, 0, 8));

            JsonNode view = view(api, bob, project, CCS).body();
            assertThat(projectUsage(view)).isEqualTo(ccs(5, 0, 8));
            assertThat(amounts(row(view, "bob").path("usage"))).isEqualTo(ccs(3, 0, 8));
            JsonNode full = view(api, OPERATOR, project, CCS).body();
            assertThat(amounts(row(full, "alice").path("usage"))).isEqualTo(ccs(2, 0, 0));
        }

        @Test
        void aKeyForAllServicesAllocatesForEachService() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 4))
                    .projectQuota(VCS, Map.of("floating_ip", 1)).id();
            String everyService = serviceKey(api, OPERATOR, null);

            Api.Response ccs = allocate(api, everyService, project, CCS, "c1", "bob", Map.of("cpu", 4));
            assertThat(ccs.status()).as(ccs.raw()).isEqualTo(201);
            Api.Response vcs = allocate(api, everyService, project, VCS, "v1", "bob", Map.of("floating_ip", 1));
            assertThat(vcs.status()).as(vcs.raw()).isEqualTo(201);
            assertThat(amounts(vcs.body().path("usage").path("project"))).isEqualTo(vcs(0, 0, 0, 1));
            assertThat(release(api, everyService, project, CCS, "c1").status()).isEqualTo(204);
            assertThat(release(api, everyService, project, VCS, "v1").status()).isEqualTo(204);
        }

        @Test
        void onlyAKeyOfThatServiceOrTheOperatorAllocates() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 20)).id();
            String admin = keyFor(project, "alice");
            String bob = keyFor(project, "bob");
            String vcsService = serviceKey(api, OPERATOR, VCS);

            assertProblem(allocate(api, vcsService, project, CCS, "a1", "bob", Map.of("cpu", 1)), 403, "FORBIDDEN");
            assertProblem(allocate(api, admin, project, CCS, "a1", "bob", Map.of("cpu", 1)), 403, "FORBIDDEN");
            assertProblem(allocate(api, bob, project, CCS, "a1", "bob", Map.of("cpu", 1)), 403, "FORBIDDEN");
            assertProblem(allocate(api, null, project, CCS, "a1", "bob", Map.of("cpu", 1)), 401,
                    "UNAUTHENTICATED");
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));

            Api.Response byOperator = allocate(api, OPERATOR, project, CCS, "a1", "bob", Map.of("cpu", 1));
            assertThat(byOperator.status()).as(byOperator.raw()).isEqualTo(201);
            assertThat(amounts(byOperator.body().path("usage").path("project"))).isEqualTo(ccs(1, 0, 0));
        }

        @Test
        void exceedingTheMemberQuotaNamesTheMemberScopeAndWhatIsAvailable() {
            String service = serviceKey(api, OPERATOR, CCS);
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 20, "gpu", 4))
                    .memberQuota(CCS, "bob", Map.of("cpu", 5))
                    .allocation(service, CCS, "a1", "bob", Map.of("cpu", 3)).id();

            assertExceeded(allocate(api, service, project, CCS, "a2", "bob", Map.of("cpu", 3, "gpu", 1)),
                    "MEMBER", "cpu", 3, 2);
            assertThat(allocate(api, service, project, CCS, "a3", "bob", Map.of("cpu", 2)).status()).isEqualTo(201);
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(5, 0, 0));
        }

        @Test
        void exceedingTheProjectQuotaNamesTheProjectScopeAndWhatIsAvailable() {
            String service = serviceKey(api, OPERATOR, CCS);
            String project = newProject().tenantAdmin("alice").tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 10, "gpu", 2))
                    .allocation(service, CCS, "a1", "alice", Map.of("cpu", 7)).id();

            assertExceeded(allocate(api, service, project, CCS, "a2", "bob", Map.of("cpu", 4)), "PROJECT", "cpu",
                    4, 3);
            assertExceeded(allocate(api, service, project, CCS, "a3", "bob", Map.of("cpu", 1, "gpu", 3)),
                    "PROJECT", "gpu", 3, 2);
            assertExceeded(allocate(api, service, project, CCS, "a4", "bob", Map.of("memory", 1)),
                    "PROJECT", "memory", 1, 0);
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(7, 0, 0));
            assertThat(allocate(api, service, project, CCS, "a5", "bob", Map.of("cpu", 3)).status()).isEqualTo(201);
        }

        @Test
        void aHugeAllocationCannotOverflowPastTheQuota() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                    .allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 1)).id();

            Api.Response huge = allocate(api, OPERATOR, project, CCS, "a2", "bob", Map.of("cpu", Long.MAX_VALUE));
            // the project's room is checked before the sum is: no room for it, long before it could overflow
            assertThat(huge.status()).as(huge.raw()).isEqualTo(409);
            assertThat(huge.code()).isEqualTo("QUOTA_EXCEEDED");
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(1, 0, 0));
        }

        @Test
        void allocationsForSomeoneWhoIsNotAMemberAreNotFound() {
            String project = newProject().projectQuota(CCS, Map.of("cpu", 10)).id();
            assertProblem(allocate(api, OPERATOR, project, CCS, "a1", "nobody", Map.of("cpu", 1)), 404,
                    "MEMBER_NOT_FOUND");
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));
        }

        @Test
        void aRemovedMembersUsageStaysVisibleUntilReleased() {
            String service = serviceKey(api, OPERATOR, CCS);
            String project = newProject().tenantAdmin("alice").tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                    .allocation(service, CCS, "a1", "bob", Map.of("cpu", 4)).id();

            assertThat(api.delete("/api/v1/projects/" + project + "/members/bob", OPERATOR).status())
                    .isEqualTo(204);
            assertProblem(allocate(api, service, project, CCS, "a2", "bob", Map.of("cpu", 1)), 404,
                    "MEMBER_NOT_FOUND");
            JsonNode view = view(api, OPERATOR, project, CCS).body();
            assertThat(projectUsage(view)).isEqualTo(ccs(4, 0, 0));
            assertThat(amounts(row(view, "bob").path("usage"))).isEqualTo(ccs(4, 0, 0));
            assertExceeded(allocate(api, service, project, CCS, "a3", "alice", Map.of("cpu", 7)), "PROJECT", "cpu",
                    7, 6);

            assertThat(release(api, service, project, CCS, "a1").status()).isEqualTo(204);
            JsonNode after = view(api, OPERATOR, project, CCS).body();
            assertThat(projectUsage(after)).isEqualTo(ccs(0, 0, 0));
            assertThat(after.path("members").findValuesAsString("userId")).containsExactly("alice");
        }

        static Stream<Arguments> badAllocationBodies() {
            return Stream.of(
                    arguments("{\"userId\":\"bob\",\"resources\":{\"cpu\":1}}", "allocationId"),
                    arguments("{\"allocationId\":\"a b\",\"userId\":\"bob\",\"resources\":{\"cpu\":1}}",
                            "allocationId"),
                    arguments("{\"allocationId\":\"\",\"userId\":\"bob\",\"resources\":{\"cpu\":1}}",
                            "allocationId"),
                    arguments("{\"allocationId\":\"a1\",\"resources\":{\"cpu\":1}}", "userId"),
                    arguments("{\"allocationId\":\"a1\",\"userId\":\"bob\"}", "resources"),
                    arguments("{\"allocationId\":\"a1\",\"userId\":\"bob\",\"resources\":{}}", "resources"),
                    arguments("{\"allocationId\":\"a1\",\"userId\":\"bob\",\"resources\":{\"cpu\":0}}", "resources"),
                    arguments("{\"allocationId\":\"a1\",\"userId\":\"bob\",\"resources\":{\"cpu\":-1}}",
                            "resources.cpu"),
                    arguments("{\"allocationId\":\"a1\",\"userId\":\"bob\",\"resources\":{\"cpu\":\"1\"}}",
                            "resources.cpu"),
                    arguments("{\"allocationId\":\"a1\",\"userId\":\"bob\",\"resources\":{\"cpu\":0.5}}",
                            "resources.cpu"),
                    arguments("{\"allocationId\":\"a1\",\"userId\":\"bob\",\"resources\":{\"floating_ip\":1}}",
                            "resources.floating_ip"),
                    arguments("{\"allocationId\":\"a1\",\"userId\":\"bob\",\"resources\":{\"cpu\":1},\"extra\":1}",
                            "extra"),
                    arguments("[]", "body"));
        }

        @ParameterizedTest
        @MethodSource("badAllocationBodies")
        void aBadAllocationBodyIsRejectedNamingTheField(String body, String field) {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10)).id();

            assertInvalid(api.post(path(project, CCS) + "/allocations", OPERATOR, body), field);
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));
        }
    }

    /** An allocation id names one allocation of a project's service: sent again, it is counted once. */
    @Nested
    class AllocationIds {

        @Test
        void theSameAllocationAgainIsAnsweredWith200AndTheFirstAnswer() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob")
                    .projectQuota(CCS, Map.of("cpu", 10, "memory", 64)).id();
            String service = serviceKey(api, OPERATOR, CCS);
            String body = "{\"allocationId\":\"vm-7\",\"userId\":\"bob\",\"resources\":{\"cpu\":3,\"memory\":8}}";

            Api.Response first = api.post(path(project, CCS) + "/allocations", service, body);
            assertThat(first.status()).as(first.raw()).isEqualTo(201);
            assertThat(allocate(api, service, project, CCS, "other", "alice", Map.of("cpu", 5)).status())
                    .isEqualTo(201);

            Api.Response again = api.post(path(project, CCS) + "/allocations", service,
                    "{\"userId\":\"bob\",\"resources\":{\"memory\":8,\"cpu\":3},\"allocationId\":\"vm-7\"}");
            assertThat(again.status()).as(again.raw()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(8, 0, 8));

            Api.Response byOperator = api.post(path(project, CCS) + "/allocations", OPERATOR, body);
            assertThat(byOperator.status()).as(byOperator.raw()).isEqualTo(200);
            assertThat(byOperator.body()).isEqualTo(first.body());
        }

        @Test
        void theSameAllocationIdWithAnotherBodyIsAConflict() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                    .allocation(OPERATOR, CCS, "vm-7", "bob", Map.of("cpu", 3)).id();

            assertProblem(allocate(api, OPERATOR, project, CCS, "vm-7", "bob", Map.of("cpu", 2)), 409,
                    "IDEMPOTENCY_CONFLICT");
            assertProblem(allocate(api, OPERATOR, project, CCS, "vm-7", "bob", Map.of("cpu", 3, "gpu", 0)), 409,
                    "IDEMPOTENCY_CONFLICT");
            assertProblem(allocate(api, OPERATOR, project, CCS, "vm-7", "alice", Map.of("cpu", 3)), 409,
                    "IDEMPOTENCY_CONFLICT");
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(3, 0, 0));
        }

        @Test
        void anAllocationIdIsPerProjectAndService() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                    .projectQuota(VCS, Map.of("cpu", 10)).id();
            String other = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10)).id();

            assertThat(allocate(api, OPERATOR, project, CCS, "vm-1", "bob", Map.of("cpu", 3)).status())
                    .isEqualTo(201);
            assertThat(allocate(api, OPERATOR, project, VCS, "vm-1", "bob", Map.of("cpu", 3)).status())
                    .isEqualTo(201);
            assertThat(allocate(api, OPERATOR, other, CCS, "vm-1", "bob", Map.of("cpu", 3)).status())
                    .isEqualTo(201);
        }

        @Test
        void aReleasedAllocationSentAgainIsAnsweredButNotCountedAgain() {
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10)).id();
            Api.Response first = allocate(api, OPERATOR, project, CCS, "a1", "bob", Map.of("cpu", 4));
            assertThat(first.status()).isEqualTo(201);
            assertThat(release(api, OPERATOR, project, CCS, "a1").status()).isEqualTo(204);

            Api.Response again = allocate(api, OPERATOR, project, CCS, "a1", "bob", Map.of("cpu", 4));
            assertThat(again.status()).as(again.raw()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));
            assertProblem(allocate(api, OPERATOR, project, CCS, "a1", "bob", Map.of("cpu", 5)), 409,
                    "IDEMPOTENCY_CONFLICT");
        }
    }

    @Nested
    class Releases {

        @Test
        void aReleaseFreesTheUsageAndAgainIsStill204() {
            String service = serviceKey(api, OPERATOR, CCS);
            String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10, "memory", 64))
                    .allocation(service, CCS, "a1", "bob", Map.of("cpu", 6, "memory", 16))
                    .allocation(service, CCS, "a2", "bob", Map.of("cpu", 1)).id();

            Api.Response released = release(api, service, project, CCS, "a1");
            assertThat(released.status()).as(released.raw()).isEqualTo(204);
            JsonNode view = view(api, OPERATOR, project, CCS).body();
            assertThat(projectUsage(view)).isEqualTo(ccs(1, 0, 0));
            assertThat(amounts(row(view, "bob").path("usage"))).isEqualTo(ccs(1, 0, 0));

            assertThat(release(api, service, project, CCS, "a1").status()).isEqualTo(204);
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(1, 0, 0));
            assertThat(release(api, OPERATOR, project, CCS, "a2").status()).isEqualTo(204);
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));
        }

        @Test
        void releasingAnUnknownAllocationIsNotFound() {
            ProjectSetup setup = newProject().tenantUser("bob");
            String project = setup.id();
            // asked before the service has any quota or usage in the project, so the setup finishes after it
            assertProblem(release(api, OPERATOR, project, CCS, "never"), 404, "ALLOCATION_NOT_FOUND");
            setup.projectQuota(CCS, Map.of("cpu", 10)).allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 1));
            assertProblem(release(api, OPERATOR, project, VCS, "a1"), 404, "ALLOCATION_NOT_FOUND");
            assertProblem(release(api, OPERATOR, "NOPE-" + project, CCS, "a1"), 404, "PROJECT_NOT_FOUND");
        }

        @Test
        void onlyAKeyOfThatServiceOrTheOperatorReleases() {
            String project = newProject().tenantAdmin("alice").tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                    .allocation(OPERATOR, CCS, "a1", "bob", Map.of("cpu", 2)).id();
            String admin = keyFor(project, "alice");
            String bob = keyFor(project, "bob");

            assertProblem(release(api, serviceKey(api, OPERATOR, VCS), project, CCS, "a1"), 403, "FORBIDDEN");
            assertProblem(release(api, admin, project, CCS, "a1"), 403, "FORBIDDEN");
            assertProblem(release(api, bob, project, CCS, "a1"), 403, "FORBIDDEN");
            assertProblem(release(api, null, project, CCS, "a1"), 401, "UNAUTHENTICATED");
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(2, 0, 0));

            assertThat(release(api, serviceKey(api, OPERATOR, CCS), project, CCS, "a1").status()).isEqualTo(204);
            assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));
        }
    }

    private static void assertRange(JsonNode range, long min, long max) {
        assertThat(range.path("min").isIntegralNumber()).as("%s", range).isTrue();
        assertThat(range.path("min").asLong()).as("min of %s", range).isEqualTo(min);
        assertThat(range.path("max").asLong()).as("max of %s", range).isEqualTo(max);
    }
}
