package keyquota.api.audit;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.api.support.AuditPages;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Helpers the audit, replay and time-travel tests share: the audit log, the projections and correlation ids. */
abstract class AuditTestBase extends ApiTest {

    static final String AUDIT = "/api/v1/audit";
    static final String PROJECTIONS = "/api/v1/admin/projections";
    static final Duration WAIT = Duration.ofSeconds(10);

    static String enc(Object value) {
        return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
    }

    /** The key id of the operator key, as the service reports it. */
    String operatorKeyId() {
        Api.Response me = api.get("/api/v1/me", OPERATOR);
        assertThat(me.status()).as(me.raw()).isEqualTo(200);
        return me.text("keyId");
    }

    String keyIdOf(String secret) {
        Api.Response me = api.get("/api/v1/me", secret);
        assertThat(me.status()).as(me.raw()).isEqualTo(200);
        return me.text("keyId");
    }

    /** A request with the given correlation id, any method, with a JSON body or none. */
    Api.Response call(String method, String path, String key, String json, String correlationId) {
        return api.send(correlatedRequest(method, path, key, json, correlationId));
    }

    /** The request {@link #call} sends, for a test that must read the answer's headers. */
    HttpRequest.Builder correlatedRequest(String method, String path, String key, String json,
                                          String correlationId) {
        HttpRequest.Builder request = api.request(path, key);
        if (correlationId != null) {
            request.header("X-Correlation-Id", correlationId);
        }
        if (json != null) {
            request.header("content-type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request;
    }

    JsonNode projection(String name) {
        Api.Response list = api.get(PROJECTIONS, OPERATOR);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        for (JsonNode projection : list.body().path("projections").values()) {
            if (projection.path("name").asString().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("No projection " + name + " in " + list.raw());
    }

    /** Waits until the audit log has taken in every event in the store. */
    void awaitAuditAtHead() {
        awaitAtHead("audit");
    }

    /** Until the streaming read model has handled every event in the store. */
    void awaitAtHead(String readModel) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode model = projection(readModel);
            assertThat(model.path("position").asLong()).as(model.toString())
                    .isEqualTo(model.path("headPosition").asLong());
        });
    }

    /** Every entry the query selects, page by page (200 each), checking that pages neither repeat nor skip. */
    List<JsonNode> allEntries(String query, String key) {
        return AuditPages.all(query, path -> api.get(path, key));
    }

    /**
     * The entries the query selects, as the operator sees them, once there are this many. The audit log is built
     * asynchronously; waiting for the entries themselves is quicker than waiting for the processor's position.
     */
    List<JsonNode> awaitEntries(String query, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(25))
                .untilAsserted(() -> assertThat(allEntries(query, OPERATOR).size())
                        .as("audit entries for %s (one that never comes was lost)", query)
                        .isGreaterThanOrEqualTo(count));
        return allEntries(query, OPERATOR);
    }

    /** The entries of one project, as the operator sees them, once there are this many. */
    List<JsonNode> projectEntries(String projectId, int count) {
        return awaitEntries("projectId=" + enc(projectId), count);
    }

    /**
     * Adds this many members to the project, then creates keys for all of them at once (one thread per member,
     * each request with a correlation id of its own), running {@code meanwhile} over and over until all are done.
     *
     * @return the key id created under each correlation id, in no particular order
     */
    Map<String, String> concurrentKeys(String project, int members, int keysEach, Runnable meanwhile) {
        for (int u = 0; u < members; u++) {
            addMember(project, "c" + u, "TENANT_USER");
        }
        Map<String, String> created = new ConcurrentHashMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(members);
        try {
            List<Future<?>> writing = new ArrayList<>();
            for (int u = 0; u < members; u++) {
                String user = "c" + u;
                writing.add(writers.submit(() -> {
                    for (int i = 0; i < keysEach; i++) {
                        String correlationId = "burst-" + project + "-" + user + "-" + i;
                        Api.Response key = call("POST", "/api/v1/projects/" + project + "/keys", OPERATOR,
                                Api.json("userId", user, "name", "burst"), correlationId);
                        assertThat(key.status()).as(key.raw()).isEqualTo(201);
                        created.put(correlationId, key.text("keyId"));
                    }
                }));
            }
            do {
                meanwhile.run();
            } while (!writing.stream().allMatch(Future::isDone));
            for (Future<?> done : writing) {
                done.get();
            }
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            writers.shutdownNow();
        }
        assertThat(created).hasSize(members * keysEach);
        return created;
    }

    /** The entries the query selects once they stopped changing for half a second (at most WAIT). */
    List<JsonNode> awaitSettledEntries(String query) {
        List<List<Long>> last = new ArrayList<>(List.of(List.of(-1L)));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<Long> now = allEntries(query, OPERATOR).stream().map(e -> e.path("position").asLong()).toList();
            boolean settled = now.equals(last.get(0));
            last.set(0, now);
            return settled;
        });
        return allEntries(query, OPERATOR);
    }

    static List<String> types(List<JsonNode> entries) {
        return entries.stream().map(entry -> entry.path("type").asString()).toList();
    }
}
