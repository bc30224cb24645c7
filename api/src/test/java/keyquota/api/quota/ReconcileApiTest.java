package keyquota.api.quota;

import keyquota.api.support.Api;
import keyquota.api.support.AuditPages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.ids;
import static keyquota.api.quota.Quotas.projectUsage;
import static keyquota.api.quota.Quotas.reconcile;
import static keyquota.api.quota.Quotas.release;
import static keyquota.api.quota.Quotas.serviceKey;
import static keyquota.api.quota.Quotas.view;
import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

/** Reconcile: a cloud service's list of what it holds releases the leaked allocations, and only those. */
class ReconcileApiTest extends QuotaTest {

    private String project;
    private String ccsKey;

    @BeforeEach
    void project() {
        ccsKey = serviceKey(api, OPERATOR, CCS);
        project = newProject().tenantUser("bob").tenantUser("carol").projectQuota(CCS, Map.of("cpu", 20)).id();
    }

    private void allocated(String allocationId, String userId, int cpu) {
        Api.Response answer = allocate(api, ccsKey, project, CCS, allocationId, userId, Map.of("cpu", cpu));
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
    }

    @Test
    void theLeaksMadeBeforeTheListAreReleasedAndAudited() {
        allocated("vm-1", "bob", 2);
        allocated("vm-2", "carol", 3);
        allocated("vm-3", "bob", 4);
        clock.advance(Duration.ofMinutes(5));
        Instant listedAt = clock.instant();
        clock.advance(Duration.ofSeconds(2));
        allocated("vm-4", "bob", 1);

        Api.Response dryRun = reconcile(api, ccsKey, project, CCS, "?dryRun=true", listedAt, List.of("vm-2", "vm-9"));
        assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(200);
        assertThat(ids(dryRun.body().path("leaked"))).containsExactly("vm-1", "vm-3");
        assertThat(ids(dryRun.body().path("unknown"))).containsExactly("vm-9");
        assertThat(ids(dryRun.body().path("released"))).isEmpty();
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).as("a dry run changes nothing")
                .isEqualTo(ccs(10, 0, 0));

        Api.Response done = reconcile(api, ccsKey, project, CCS, "", listedAt, List.of("vm-2", "vm-9"));
        assertThat(done.status()).as(done.raw()).isEqualTo(200);
        assertThat(ids(done.body().path("leaked"))).containsExactly("vm-1", "vm-3");
        assertThat(ids(done.body().path("unknown"))).containsExactly("vm-9");
        assertThat(ids(done.body().path("released"))).containsExactly("vm-1", "vm-3");
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).as("vm-2 and vm-4 are held")
                .isEqualTo(ccs(4, 0, 0));
        assertThat(release(api, ccsKey, project, CCS, "vm-1").status()).as("released already: 204 again")
                .isEqualTo(204);

        Api.Response again = reconcile(api, OPERATOR, project, CCS, "", listedAt, List.of("vm-2"));
        assertThat(ids(again.body().path("released"))).as("nothing leaks twice").isEmpty();

        List<JsonNode> releases = AuditPages.all("projectId=" + project + "&type=UsageReleased",
                path -> api.get(path, OPERATOR));
        assertThat(releases).extracting(entry -> entry.path("subject").asString())
                .containsExactly("allocation/CCS/vm-1", "allocation/CCS/vm-3");
        assertThat(releases).allSatisfy(entry -> {
            assertThat(entry.path("details").path("reason").asString()).isEqualTo("RECONCILED");
            assertThat(entry.path("actor").path("type").asString()).isEqualTo("SERVICE");
        });
    }

    @Test
    void onlyTheServiceOfThatServiceAndTheOperatorReconcile() {
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        String vcsKey = serviceKey(api, OPERATOR, VCS);
        Instant now = clock.instant();
        for (String caller : List.of(admin, keyFor(project, "bob"), vcsKey)) {
            assertProblem(reconcile(api, caller, project, CCS, "", now, List.of()), 403, "FORBIDDEN");
        }
        assertProblem(reconcile(api, null, project, CCS, "", now, List.of()), 401, "UNAUTHENTICATED");
        Api.Response allServices = reconcile(api, serviceKey(api, OPERATOR, null), project, CCS, "", now, List.of());
        assertThat(allServices.status()).as(allServices.raw()).isEqualTo(200);
        assertProblem(reconcile(api, OPERATOR, project, "HPC", "", now, List.of()), 404, "SERVICE_NOT_FOUND");
        assertProblem(reconcile(api, OPERATOR, "no-such-project", CCS, "", now, List.of()), 404, "PROJECT_NOT_FOUND");
    }

    /** A cloud service sends every allocation it holds: far beyond the 64 KiB other bodies may have. */
    @Test
    void aListOfTensOfThousandsOfAllocationsIsTaken() {
        allocated("vm-1", "bob", 2);
        clock.advance(Duration.ofMinutes(1));
        List<String> held = new ArrayList<>();
        held.add("vm-1");
        for (int i = 0; i < 30_000; i++) {
            held.add(UUID.randomUUID().toString());
        }
        Api.Response done = reconcile(api, ccsKey, project, CCS, "?dryRun=true", clock.instant(), held);
        assertThat(done.status()).as("a body of about 1.2 MB").isEqualTo(200);
        assertThat(done.body().path("unknown").size()).isEqualTo(30_000);
        assertThat(done.body().path("leaked").size()).isZero();
    }

    @Test
    void aWrongListChangesNothing() {
        allocated("vm-1", "bob", 2);
        clock.advance(Duration.ofMinutes(1));
        String path = Quotas.path(project, CCS) + "/allocations/reconcile";
        assertValidationFailed(reconcile(api, ccsKey, project, CCS, "", clock.instant().plusSeconds(60), List.of()),
                "listedAt");
        assertValidationFailed(api.post(path, ccsKey, Api.json("allocationIds", List.of())), "listedAt");
        assertValidationFailed(api.post(path, ccsKey, Api.json("listedAt", "yesterday", "allocationIds", List.of())),
                "listedAt");
        assertValidationFailed(api.post(path, ccsKey, Api.json("listedAt", clock.instant().toString())),
                "allocationIds");
        Api.Response badId = reconcile(api, ccsKey, project, CCS, "", clock.instant(), List.of("not an id"));
        assertThat(badId.status()).as(badId.raw()).isEqualTo(400);
        assertThat(badId.text("code")).isEqualTo("VALIDATION_FAILED");
        assertThat(badId.raw()).contains("allocationIds");
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(2, 0, 0));
    }
}
