package keyquota.api.quota;

import keyquota.api.support.Api;
import keyquota.api.support.ProblemAssertions;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Requests and readings for the "Resource quotas" endpoints, shared by the quota API tests. */
final class Quotas {

    private Quotas() {
    }

    static String path(String projectId) {
        return "/api/v1/projects/" + projectId + "/quotas";
    }

    static String path(String projectId, String service) {
        return path(projectId) + "/" + service;
    }

    static Api.Response setProjectQuota(Api api, String key, String projectId, String service,
                                        Map<String, ?> quota) {
        return api.put(path(projectId, service), key, Api.json("quota", quota));
    }

    static Api.Response setMemberQuota(Api api, String key, String projectId, String service, String userId,
                                       String query, Map<String, ?> quota) {
        return api.put(path(projectId, service) + "/members/" + userId + query, key, Api.json("quota", quota));
    }

    static Api.Response view(Api api, String key, String projectId, String service) {
        return api.get(path(projectId, service), key);
    }

    static Api.Response allocate(Api api, String key, String projectId, String service, String allocationId,
                                 String userId, Map<String, ?> resources) {
        return api.post(path(projectId, service) + "/allocations", key,
                Api.json("allocationId", allocationId, "userId", userId, "resources", resources));
    }

    static Api.Response release(Api api, String key, String projectId, String service, String allocationId) {
        return api.delete(path(projectId, service) + "/allocations/" + allocationId, key);
    }

    static Api.Response reconcile(Api api, String key, String projectId, String service, String query,
                                  Instant listedAt, List<String> allocationIds) {
        return api.post(path(projectId, service) + "/allocations/reconcile" + query, key,
                Api.json("listedAt", listedAt.toString(), "allocationIds", allocationIds));
    }

    static List<String> ids(JsonNode list) {
        return list.valueStream().map(JsonNode::asString).toList();
    }

    /** A new service key for the service, or for every service when service is null. */
    static String serviceKey(Api api, String operatorKey, String service) {
        Api.Response created = api.post("/api/v1/service-keys", operatorKey, service == null
                ? Api.json("name", "all services")
                : Api.json("name", service + " service", "service", service));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.text("key");
    }

    /**
     * Sends n requests from n threads released at the same moment, and returns the answers in request order.
     */
    static List<Api.Response> atOnce(int n, IntFunction<Api.Response> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                answers.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.apply(index);
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads ready").isTrue();
            go.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            threads.shutdownNow();
        }
    }

    /** An object of resource amounts, each checked to be an integer. */
    static Map<String, Long> amounts(JsonNode node) {
        assertThat(node.isObject()).as("an object of amounts: %s", node).isTrue();
        Map<String, Long> amounts = new LinkedHashMap<>();
        node.properties().forEach(entry -> {
            assertThat(entry.getValue().isIntegralNumber()).as("%s is an integer", entry).isTrue();
            amounts.put(entry.getKey(), entry.getValue().asLong());
        });
        return amounts;
    }

    static Map<String, Long> ccs(long cpu, long gpu, long memory) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        amounts.put("cpu", cpu);
        amounts.put("gpu", gpu);
        amounts.put("memory", memory);
        return amounts;
    }

    static Map<String, Long> vcs(long cpu, long gpu, long memory, long floatingIp) {
        Map<String, Long> amounts = ccs(cpu, gpu, memory);
        amounts.put("floating_ip", floatingIp);
        return amounts;
    }

    static Map<String, Long> projectQuota(JsonNode view) {
        return amounts(view.path("project").path("quota"));
    }

    static Map<String, Long> projectUsage(JsonNode view) {
        return amounts(view.path("project").path("usage"));
    }

    /** The member's row of a quota view. */
    static JsonNode row(JsonNode view, String userId) {
        for (JsonNode row : view.path("members")) {
            if (userId.equals(row.path("userId").asString())) {
                return row;
            }
        }
        return fail("no row for %s in %s", userId, view);
    }

    static void assertProblem(Api.Response response, int status, String code) {
        ProblemAssertions.assertProblem(response, status, code);
    }

    /** 400 VALIDATION_FAILED naming exactly this field. */
    static void assertInvalid(Api.Response response, String field) {
        ProblemAssertions.assertValidationFailed(response);
        assertThat(ProblemAssertions.errorFields(response)).as(response.raw()).containsExactly(field);
    }

    /** 409 QUOTA_EXCEEDED with whose quota, which resource, and how much was asked and is left. */
    static void assertExceeded(Api.Response response, String scope, String resource, long requested,
                               long available) {
        assertProblem(response, 409, "QUOTA_EXCEEDED");
        assertThat(response.text("scope")).isEqualTo(scope);
        assertThat(response.text("resource")).isEqualTo(resource);
        assertThat(response.body().path("requested").isIntegralNumber()).as(response.raw()).isTrue();
        assertThat(response.body().path("requested").asLong()).isEqualTo(requested);
        assertThat(response.body().path("available").isIntegralNumber()).as(response.raw()).isTrue();
        assertThat(response.body().path("available").asLong()).isEqualTo(available);
    }
}
