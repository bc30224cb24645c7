package keyquota.api.audit;

import keyquota.api.support.Api;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

/** asOf on the quota view and on a key: the answer read live at a time equals the answer asOf that time. */
class TimeTravelTest extends AuditTestBase {

    private record Seen(Instant at, JsonNode operatorView, JsonNode userView, JsonNode vcsView) {
    }

    private static Api.Response ok(int status, Api.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        return response;
    }

    private Seen readLive(String project, String user) {
        String path = "/api/v1/projects/" + project + "/quotas/";
        JsonNode operatorView = ok(200, api.get(path + "CCS", OPERATOR)).body();
        JsonNode userView = ok(200, api.get(path + "CCS", user)).body();
        JsonNode vcsView = ok(200, api.get(path + "VCS", OPERATOR)).body();
        Instant at = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        return new Seen(at, operatorView, userView, vcsView);
    }

    private static String asOf(Instant at) {
        return "?asOf=" + enc(at);
    }

    @Test
    void aQuotaViewAsOfAPastTimeIsTheViewReadLiveThen() {
        String project = createProject();
        String quotas = "/api/v1/projects/" + project + "/quotas/CCS";
        Instant created = Instant.parse(ok(200, api.get("/api/v1/projects/" + project, OPERATOR)).text("createdAt"));
        String admin = memberKey(project, "admin", "TENANT_ADMIN");
        String alice = memberKey(project, "alice", "TENANT_USER");
        addMember(project, "bob", "TENANT_USER");
        String service = ok(201, api.post("/api/v1/service-keys", OPERATOR,
                Api.json("name", "time-travel", "service", "CCS"))).text("key");
        List<Seen> seen = new ArrayList<>();
        seen.add(readLive(project, alice));

        ok(200, api.put(quotas, OPERATOR, Api.json("quota", Map.of("cpu", 10, "gpu", 4, "memory", 64))));
        ok(200, api.put("/api/v1/projects/" + project + "/quotas/VCS", OPERATOR,
                Api.json("quota", Map.of("floating_ip", 2))));
        seen.add(readLive(project, alice));

        ok(200, api.put(quotas + "/members/alice", admin, Api.json("quota", Map.of("cpu", 5))));
        ok(201, api.post(quotas + "/allocations", service, Api.json("allocationId", "a1", "userId", "alice",
                "resources", Map.of("cpu", 3, "memory", 8))));
        seen.add(readLive(project, alice));

        ok(201, api.post(quotas + "/allocations", service, Api.json("allocationId", "a2", "userId", "bob",
                "resources", Map.of("cpu", 4, "gpu", 1))));
        ok(204, api.delete("/api/v1/projects/" + project + "/members/bob", admin));
        seen.add(readLive(project, alice));

        ok(204, api.delete(quotas + "/allocations/a1", service));
        ok(200, api.put(quotas + "/members/alice", admin, Api.json("quota", Map.of("cpu", 2, "memory", 0))));
        ok(200, api.put(quotas + "?force=true", OPERATOR, Api.json("quota", Map.of("cpu", 3))));
        addMember(project, "dave", "TENANT_ADMIN");
        seen.add(readLive(project, alice));

        ok(204, api.delete(quotas + "/allocations/a2", service));
        ok(200, api.put(quotas, OPERATOR, Api.json("quota", Map.of("cpu", 20))));

        // the history really changed between the readings
        assertThat(seen.stream().map(Seen::operatorView).distinct().count()).isEqualTo(seen.size());
        assertThat(seen.get(3).operatorView().path("members").findValuesAsString("userId"))
                .containsExactly("admin", "alice", "bob");
        for (Seen then : seen) {
            assertThat(ok(200, api.get(quotas + asOf(then.at()), OPERATOR)).body()).as("operator at %s", then.at())
                    .isEqualTo(then.operatorView());
            assertThat(ok(200, api.get(quotas + asOf(then.at()), alice)).body()).as("alice at %s", then.at())
                    .isEqualTo(then.userView());
            assertThat(ok(200, api.get("/api/v1/projects/" + project + "/quotas/VCS" + asOf(then.at()), OPERATOR))
                    .body()).as("VCS at %s", then.at()).isEqualTo(then.vcsView());
        }
        assertThat(ok(200, api.get(quotas + asOf(clock.instant()), OPERATOR)).body())
                .isEqualTo(ok(200, api.get(quotas, OPERATOR)).body());

        assertProblem(api.get(quotas + asOf(created.minusSeconds(60)), OPERATOR), 404, "PROJECT_NOT_FOUND");
        assertValidationFailed(api.get(quotas + "?asOf=yesterday", OPERATOR), "asOf");
        assertValidationFailed(api.get(quotas + "?asOf=2026-11-29", OPERATOR), "asOf");
    }

    @Test
    void aKeyAsOfAPastTimeIsTheKeyReadLiveThenAlsoAfterItWasDeleted() {
        String project = createProject();
        String keys = "/api/v1/projects/" + project + "/keys/";
        String alice = memberKey(project, "alice", "TENANT_USER");
        String bob = memberKey(project, "bob", "TENANT_USER");
        Instant beforeKey = clock.instant();
        clock.advance(Duration.ofMinutes(1));

        String keyId = ok(201, api.post("/api/v1/projects/" + project + "/keys", alice,
                Api.json("name", "travelling", "validDays", 10))).text("keyId");
        List<Instant> times = new ArrayList<>();
        List<JsonNode> live = new ArrayList<>();
        for (int days : new int[] {0, 20, 3}) {
            if (days > 0) {
                ok(200, api.post(keys + keyId + "/extend", alice, Api.json("days", days)));
            }
            live.add(ok(200, api.get(keys + keyId, alice)).body());
            times.add(clock.instant());
            clock.advance(Duration.ofMinutes(1));
        }
        ok(204, api.delete(keys + keyId, OPERATOR));
        Instant deleted = clock.instant();
        clock.advance(Duration.ofMinutes(1));

        assertThat(live.stream().map(key -> key.path("expiresAt").asString()).distinct()).hasSize(3);
        for (int i = 0; i < times.size(); i++) {
            assertThat(ok(200, api.get(keys + keyId + asOf(times.get(i)), alice)).body()).as("owner at step %s", i)
                    .isEqualTo(live.get(i));
            assertThat(ok(200, api.get(keys + keyId + asOf(times.get(i)), OPERATOR)).body())
                    .as("operator at step %s", i).isEqualTo(live.get(i));
        }
        assertProblem(api.get(keys + keyId, OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.get(keys + keyId + asOf(deleted), OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.get(keys + keyId + asOf(beforeKey), OPERATOR), 404, "KEY_NOT_FOUND");
        assertProblem(api.get(keys + keyId + asOf(times.get(0)), bob), 404, "KEY_NOT_FOUND");
        assertValidationFailed(api.get(keys + keyId + "?asOf=yesterday", OPERATOR), "asOf");
        assertValidationFailed(api.get(keys + keyId + "?asOf=" + enc("2026-11-29 08:00:00"), OPERATOR), "asOf");
    }
}
