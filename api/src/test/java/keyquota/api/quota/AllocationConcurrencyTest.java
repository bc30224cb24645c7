package keyquota.api.quota;

import keyquota.api.support.Api;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.amounts;
import static keyquota.api.quota.Quotas.assertExceeded;
import static keyquota.api.quota.Quotas.atOnce;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.projectUsage;
import static keyquota.api.quota.Quotas.release;
import static keyquota.api.quota.Quotas.serviceKey;
import static keyquota.api.quota.Quotas.view;
import static org.assertj.core.api.Assertions.assertThat;

/** "Usage never exceeds a quota ... under any number of concurrent allocations", and an allocation id counts once. */
class AllocationConcurrencyTest extends QuotaTest {

    private static final int CLIENTS = 32;
    private static final int MEMBERS = 8;

    @Test
    void racingAllocationsNeverTakeMoreThanTheQuota() throws Exception {
        String project = newProject().tenantUsers(MEMBERS).projectQuota(CCS, Map.of("cpu", 20)).id();
        String service = serviceKey(api, OPERATOR, CCS);

        List<Api.Response> answers = atOnce(CLIENTS, i -> allocate(api, service, project, CCS, "job-" + i,
                user(i % MEMBERS), Map.of("cpu", 3)));

        List<Integer> succeeded = IntStream.range(0, CLIENTS).filter(i -> answers.get(i).status() == 201)
                .boxed().toList();
        assertThat(succeeded).as(answers.toString()).hasSize(20 / 3);
        answers.stream().filter(answer -> answer.status() != 201)
                .forEach(refused -> assertExceeded(refused, "PROJECT", "cpu", 3, 2));
        assertThat(succeeded.stream().map(i -> amounts(answers.get(i).body().path("usage").path("project"))
                .get("cpu"))).as("each success saw the usage after it, one after the other")
                .containsExactlyInAnyOrder(3L, 6L, 9L, 12L, 15L, 18L);

        JsonNode view = view(api, OPERATOR, project, CCS).body();
        assertThat(projectUsage(view)).isEqualTo(ccs(18, 0, 0));
        assertThat(memberUsageSum(view)).isEqualTo(18);

        List<Integer> toRelease = succeeded.subList(0, 3);
        List<Api.Response> releases = atOnce(toRelease.size(),
                i -> release(api, service, project, CCS, "job-" + toRelease.get(i)));
        assertThat(releases).allSatisfy(released -> assertThat(released.status()).as(released.raw()).isEqualTo(204));

        JsonNode after = view(api, OPERATOR, project, CCS).body();
        assertThat(projectUsage(after)).isEqualTo(ccs(3L * (succeeded.size() - toRelease.size()), 0, 0));
        assertThat(memberUsageSum(after)).isEqualTo(3L * (succeeded.size() - toRelease.size()));
    }

    @Test
    void racingAllocationsOfOneMemberNeverTakeMoreThanTheMemberQuota() throws Exception {
        String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 100))
                .memberQuota(CCS, "bob", Map.of("cpu", 7)).id();

        List<Api.Response> answers = atOnce(CLIENTS, i -> allocate(api, OPERATOR, project, CCS, "job-" + i, "bob",
                Map.of("cpu", 2)));

        assertThat(answers.stream().filter(answer -> answer.status() == 201)).hasSize(3);
        answers.stream().filter(answer -> answer.status() != 201)
                .forEach(refused -> assertExceeded(refused, "MEMBER", "cpu", 2, 1));
        JsonNode view = view(api, OPERATOR, project, CCS).body();
        assertThat(projectUsage(view)).isEqualTo(ccs(6, 0, 0));
        assertThat(amounts(Quotas.row(view, "bob").path("usage"))).isEqualTo(ccs(6, 0, 0));
    }

    @Test
    void theSameAllocationSentByManyClientsAtOnceCountsOnce() throws Exception {
        String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 20, "memory", 64)).id();
        String service = serviceKey(api, OPERATOR, CCS);

        List<Api.Response> answers = atOnce(16, i -> allocate(api, service, project, CCS, "vm-42", "bob",
                Map.of("cpu", 3, "memory", 8)));

        List<Api.Response> created = answers.stream().filter(answer -> answer.status() == 201).toList();
        assertThat(created).as(answers.toString()).hasSize(1);
        List<Api.Response> repeated = answers.stream().filter(answer -> answer.status() != 201).toList();
        assertThat(repeated).hasSize(15).allSatisfy(again -> {
            assertThat(again.status()).as(again.raw()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(created.get(0).body());
        });
        assertThat(amounts(created.get(0).body().path("usage").path("project"))).isEqualTo(ccs(3, 0, 8));
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(3, 0, 8));
    }

    @Test
    void racingReleasesOfOneAllocationFreeItOnce() throws Exception {
        String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 20))
                .allocation(OPERATOR, CCS, "keep", "bob", Map.of("cpu", 5))
                .allocation(OPERATOR, CCS, "drop", "bob", Map.of("cpu", 3)).id();

        List<Api.Response> answers = atOnce(16, i -> release(api, OPERATOR, project, CCS, "drop"));

        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.raw()).isEqualTo(204));
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(5, 0, 0));
    }

    private static long memberUsageSum(JsonNode view) {
        long sum = 0;
        for (JsonNode row : view.path("members")) {
            sum += row.path("usage").path("cpu").asLong();
        }
        return sum;
    }
}
