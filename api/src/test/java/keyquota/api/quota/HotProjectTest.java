package keyquota.api.quota;

import keyquota.api.audit.CorrelationIdFilter;
import keyquota.api.support.Api;
import keyquota.domain.quota.QuotaId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.projectUsage;
import static keyquota.api.quota.Quotas.release;
import static keyquota.api.quota.Quotas.serviceKey;
import static keyquota.api.quota.Quotas.view;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * More clients than the pool has connections, all allocating and releasing on one project, across many of its
 * snapshots: commands queued on the project's aggregate must not hold the connections the one at its head needs,
 * and those decided together remain requests of their own.
 */
class HotProjectTest extends QuotaTest {

    private static final int CLIENTS = 20;
    private static final int PAIRS_EACH = 12;
    private static final long SLOWEST_ACCEPTABLE_MILLIS = 2_000;

    @Autowired
    private JdbcClient jdbc;

    private record Answer(String request, int status, long millis, String body) {
    }

    @Test
    void aBusyProjectAnswersEveryRequestPromptlyWithTheDefaultPool() throws Exception {
        String project = newProject().tenantUsers(8).projectQuota(CCS, ccs(1_000, 0, 0)).id();
        String service = serviceKey(api, OPERATOR, CCS);

        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        eachClientInTurn((client, i) -> {
            String id = "hot-" + client + "-" + i;
            answers.add(timed("allocate " + id, () -> allocate(api, service, project, CCS, id,
                    user(client % 8), Map.of("cpu", 1L))));
            answers.add(timed("release " + id, () -> release(api, service, project, CCS, id)));
        });

        List<Long> millis = answers.stream().map(Answer::millis).sorted().toList();
        System.out.printf("HotProjectTest: %d answers, p50 %d ms, p99 %d ms, slowest %d ms%n", millis.size(),
                millis.get(millis.size() / 2), millis.get(millis.size() * 99 / 100), millis.get(millis.size() - 1));
        assertThat(answers).hasSize(CLIENTS * PAIRS_EACH * 2);
        assertThat(answers).filteredOn(answer -> answer.status() >= 500).as("no 503 and no 500").isEmpty();
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.toString()).isIn(201, 204));
        assertThat(answers).filteredOn(answer -> answer.millis() > SLOWEST_ACCEPTABLE_MILLIS)
                .as("requests slower than %d ms", SLOWEST_ACCEPTABLE_MILLIS).isEmpty();
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));
        assertThat(jdbc.sql("SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?")
                .param(QuotaId.of(project, CCS)).query(Long.class).single())
                .as("the run crossed snapshot thresholds, so snapshots were written meanwhile").isPositive();
    }

    /**
     * Allocations that wait for one quota are decided together, in one transaction (UsageBatchingCommandBus),
     * yet each is its own request: its own answer, and events that carry its own correlation id.
     */
    @Test
    void allocationsThatWaitForOneQuotaAreDecidedTogetherYetEachIsItsOwnRequest() throws Exception {
        String project = newProject().tenantUsers(8).projectQuota(CCS, ccs(1_000, 0, 0)).id();
        String service = serviceKey(api, OPERATOR, CCS);

        Map<String, String> correlationIds = new ConcurrentHashMap<>();
        eachClientInTurn((client, i) -> {
            String id = "together-" + client + "-" + i;
            Api.Response allocated = allocate(api, service, project, CCS, id, user(client % 8), Map.of("cpu", 1L));
            assertThat(allocated.status()).as(allocated.raw()).isEqualTo(201);
            assertThat(allocated.body().path("allocationId").asText()).isEqualTo(id);
            correlationIds.put(id, allocated.header(CorrelationIdFilter.HEADER));
        });

        List<Map<String, Object>> events = jdbc.sql("""
                        SELECT convert_from(payload, 'UTF8')::jsonb ->> 'allocationId' AS allocation_id,
                               convert_from(meta_data, 'UTF8')::jsonb ->> 'correlationId' AS correlation_id,
                               convert_from(meta_data, 'UTF8')::jsonb ->> 'actorType' AS actor_type,
                               xmin::text AS transaction
                        FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE '%UsageAllocated'
                        """)
                .param(QuotaId.of(project, CCS)).query().listOfRows();
        assertThat(events).hasSize(CLIENTS * PAIRS_EACH);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.get("correlation_id")).as("the correlation id of %s", event.get("allocation_id"))
                    .isEqualTo(correlationIds.get((String) event.get("allocation_id")));
            assertThat(event.get("actor_type")).isEqualTo("SERVICE");
        });
        assertThat(events.stream().map(event -> event.get("transaction")).distinct().count())
                .as("transactions that stored the %d allocations", events.size()).isLessThan(events.size());
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(CLIENTS * PAIRS_EACH, 0, 0));
    }

    /** Each of {@link #CLIENTS} threads does its {@link #PAIRS_EACH} turns, all at once. */
    private static void eachClientInTurn(BiConsumer<Integer, Integer> turn) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int i = 0; i < PAIRS_EACH; i++) {
                        turn.accept(client, i);
                    }
                }));
            }
            for (Future<?> client : running) {
                client.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static Answer timed(String request, Supplier<Api.Response> call) {
        long start = System.nanoTime();
        Api.Response response = call.get();
        return new Answer(request, response.status(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                response.raw());
    }
}
