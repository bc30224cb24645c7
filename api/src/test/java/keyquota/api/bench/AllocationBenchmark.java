package keyquota.api.bench;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allocation hot path: cloud services allocating and releasing usage on one busy project, whose quota
 * aggregate every request loads (from its snapshot and the events after it). Not part of the test run; run it
 * with {@code mvn -B -pl api -am verify -Dtest=AllocationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read the figures in api/target/surefire-reports/keyquota.api.bench.AllocationBenchmark-output.txt.
 */
class AllocationBenchmark extends ApiTest {

    private static final int THREADS = 8;
    private static final long WARM_UP_MILLIS = 5_000;
    private static final long MEASURE_MILLIS = 15_000;

    private final AtomicLong allocationIds = new AtomicLong();

    @Test
    void allocateAndReleaseOnOneProject() throws Exception {
        String project = createProject();
        for (int i = 0; i < THREADS; i++) {
            addMember(project, "user" + i, "TENANT_USER");
        }
        api.put("/api/v1/projects/" + project + "/quotas/CCS", OPERATOR, "{\"quota\":{\"cpu\":-1,\"memory\":-1}}");
        String service = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "bench", "service", "CCS"))
                .text("key");

        run(project, service, WARM_UP_MILLIS);
        long[] latencies = run(project, service, MEASURE_MILLIS);

        Arrays.sort(latencies);
        System.out.printf("allocate+release: %d pairs in %d s with %d threads on one project: %.0f pairs/s, "
                        + "p50 %.2f ms, p99 %.2f ms per pair%n", latencies.length, MEASURE_MILLIS / 1000, THREADS,
                latencies.length * 1000.0 / MEASURE_MILLIS, latencies[latencies.length / 2] / 1e6,
                latencies[(int) (latencies.length * 0.99)] / 1e6);
    }

    private long[] run(String project, String serviceKey, long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long end = System.currentTimeMillis() + millis;
        String allocations = "/api/v1/projects/" + project + "/quotas/CCS/allocations";
        List<Future<long[]>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String user = "user" + t;
            results.add(pool.submit(() -> {
                long[] samples = new long[1 << 20];
                int n = 0;
                while (System.currentTimeMillis() < end && n < samples.length) {
                    String allocationId = "a" + allocationIds.incrementAndGet();
                    long start = System.nanoTime();
                    Api.Response allocated = api.post(allocations, serviceKey, Api.json("allocationId", allocationId,
                            "userId", user, "resources", Map.of("cpu", 1, "memory", 2)));
                    Api.Response released = api.delete(allocations + "/" + allocationId, serviceKey);
                    samples[n++] = System.nanoTime() - start;
                    assertThat(allocated.status()).as(allocated.raw()).isEqualTo(201);
                    assertThat(released.status()).isEqualTo(204);
                }
                return Arrays.copyOf(samples, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> result : results) {
            all.add(result.get());
        }
        pool.shutdown();
        return all.stream().flatMapToLong(Arrays::stream).toArray();
    }
}
