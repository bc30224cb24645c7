package keyquota.api.key;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "At most 5 active keys per member in a project: the sixth is 409 KEY_LIMIT_REACHED, also when several are
 * created at the same moment." Twenty creates are released at once on real threads.
 */
class KeyConcurrencyTest extends ApiTest {

    private static final int REQUESTS = 20;
    private static final int LIMIT = 5;

    @Test
    void twentySimultaneousCreatesByATenantAdminLeaveExactlyFiveKeys() {
        String project = createProject();
        String admin = memberKey(project, "admin", "TENANT_ADMIN");
        addMember(project, "alice", "TENANT_USER");

        List<Api.Response> responses = simultaneously(i -> () -> createFor(project, admin, "alice", i));

        assertOutcome(project, "alice", responses, LIMIT, List.of());
    }

    @Test
    void twentySimultaneousCreatesByTheOperatorLeaveExactlyFiveKeys() {
        String project = createProject();
        addMember(project, "alice", "TENANT_USER");

        List<Api.Response> responses = simultaneously(i -> () -> createFor(project, OPERATOR, "alice", i));

        assertOutcome(project, "alice", responses, LIMIT, List.of());
    }

    /** The member's own key counts: 4 more succeed. */
    @Test
    void twentySimultaneousCreatesByTheMemberThemselfLeaveExactlyFiveKeys() {
        String project = createProject();
        Api.Response own = memberKeyResponse(project, "alice", "TENANT_USER");

        List<Api.Response> responses = simultaneously(i -> () -> createFor(project, own.text("key"), null, i));

        assertOutcome(project, "alice", responses, LIMIT - 1, List.of(own.text("keyId")));
    }

    @Test
    void twentySimultaneousCreatesSplitBetweenTheMemberAndATenantAdminLeaveExactlyFiveKeys() {
        String project = createProject();
        String admin = memberKey(project, "admin", "TENANT_ADMIN");
        Api.Response own = memberKeyResponse(project, "alice", "TENANT_USER");

        List<Api.Response> responses = simultaneously(i -> () -> i % 2 == 0
                ? createFor(project, own.text("key"), null, i)
                : createFor(project, admin, "alice", i));

        assertOutcome(project, "alice", responses, LIMIT - 1, List.of(own.text("keyId")));
        assertThat(api.get("/api/v1/projects/" + project + "/keys?userId=admin", admin).body().path("keys").size())
                .as("the admin's own keys are untouched").isEqualTo(1);
    }

    private Api.Response memberKeyResponse(String project, String userId, String role) {
        addMember(project, userId, role);
        return createKey(project, userId);
    }

    private Api.Response createFor(String project, String callerKey, String userId, int i) {
        String body = userId == null ? Api.json("name", "concurrent " + i)
                : Api.json("name", "concurrent " + i, "userId", userId);
        return api.post("/api/v1/projects/" + project + "/keys", callerKey, body);
    }

    /** Runs the requests on REQUESTS threads that all wait at one start gate. */
    private static List<Api.Response> simultaneously(IntFunction<Callable<Api.Response>> request) {
        ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
        try {
            CountDownLatch ready = new CountDownLatch(REQUESTS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                Callable<Api.Response> call = request.apply(i);
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call.call();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).as("all threads at the gate").isTrue();
            start.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } catch (Exception e) {
            throw new AssertionError("concurrent requests did not complete", e);
        } finally {
            threads.shutdownNow();
        }
    }

    private void assertOutcome(String project, String userId, List<Api.Response> responses, int expectedCreated,
                               List<String> existingKeyIds) {
        String statuses = responses.stream().map(r -> r.status() + " " + r.code())
                .collect(Collectors.groupingBy(s -> s, Collectors.counting())).toString();
        List<Api.Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        List<Api.Response> refused = responses.stream().filter(r -> r.status() != 201).toList();

        assertThat(created).as(statuses).hasSize(expectedCreated);
        assertThat(refused).as(statuses).hasSize(REQUESTS - expectedCreated)
                .allSatisfy(r -> {
                    assertThat(r.status()).as(r.raw()).isEqualTo(409);
                    assertThat(r.code()).as(r.raw()).isEqualTo("KEY_LIMIT_REACHED");
                });
        assertThat(created).allSatisfy(r -> assertThat(r.text("userId")).isEqualTo(userId));

        Api.Response list = api.get("/api/v1/projects/" + project + "/keys?limit=100&userId=" + userId, OPERATOR);
        assertThat(list.status()).isEqualTo(200);
        List<String> expected = new ArrayList<>(existingKeyIds);
        created.forEach(r -> expected.add(r.text("keyId")));
        assertThat(list.body().path("keys").findValuesAsString("keyId"))
                .hasSize(LIMIT)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(list.body().path("keys").findValuesAsString("status")).containsOnly("ACTIVE");
        assertThat(list.body().path("keys").findValuesAsString("userId")).containsOnly(userId);

        Api.Response sixth = api.post("/api/v1/projects/" + project + "/keys", OPERATOR,
                Api.json("userId", userId));
        assertThat(sixth.status()).isEqualTo(409);
        assertThat(sixth.code()).isEqualTo("KEY_LIMIT_REACHED");
    }
}
