package keyquota.api.bench;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot path: a cloud service verifying member keys over HTTP, against the real embedded PostgreSQL.
 * Not part of the test run (Surefire runs only classes named *Test); run it with
 * {@code mvn -B -pl api -am verify -Dtest=VerificationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read the figures in api/target/surefire-reports/keyquota.api.bench.VerificationBenchmark-output.txt.
 */
class VerificationBenchmark extends ApiTest {

    private static final int THREADS = 8;
    private static final long WARM_UP_MILLIS = 5_000;
    private static final long MEASURE_MILLIS = 15_000;

    @Test
    void verifyMemberKeys() throws Exception {
        String project = createProject();
        List<String> memberKeys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            memberKeys.add(memberKey(project, "user" + i, "TENANT_USER"));
        }
        String service = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "bench", "service", "CCS"))
                .text("key");
        List<String> bodies = memberKeys.stream().map(key -> Api.json("key", key)).toList();

        run(service, bodies, WARM_UP_MILLIS);
        long[] latencies = run(service, bodies, MEASURE_MILLIS);

        Arrays.sort(latencies);
        System.out.printf("verify: %d requests in %d s with %d threads: %.0f req/s, p50 %.2f ms, p99 %.2f ms%n",
                latencies.length, MEASURE_MILLIS / 1000, THREADS, latencies.length * 1000.0 / MEASURE_MILLIS,
                latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6);
    }

    private long[] run(String serviceKey, List<String> bodies, long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long end = System.currentTimeMillis() + millis;
        List<Future<long[]>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int offset = t;
            results.add(pool.submit(() -> {
                long[] samples = new long[1 << 20];
                int n = 0;
                while (System.currentTimeMillis() < end && n < samples.length) {
                    long start = System.nanoTime();
                    Api.Response response = api.post("/api/v1/keys/verify", serviceKey,
                            bodies.get((offset + n) % bodies.size()));
                    samples[n++] = System.nanoTime() - start;
                    assertThat(response.text("code")).isEqualTo("VALID");
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
