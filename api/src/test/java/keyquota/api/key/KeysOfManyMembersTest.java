package keyquota.api.key;

import keyquota.api.audit.CorrelationIdFilter;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.domain.MembershipId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many members creating and deleting keys at once: their commands are committed together (GroupCommitCommandBus),
 * yet each is a request of its own, with its own answer and events that carry its own correlation id and actor. A
 * member whose every create is refused (at the limit) shares groups with the others; a refusal takes no one else's
 * change with it, and is stored nowhere.
 */
class KeysOfManyMembersTest extends ApiTest {

    private static final int MEMBERS = 10;
    private static final int ROUNDS = 8;
    private static final int LIMIT = 5;

    @Autowired
    private JdbcClient jdbc;

    private record Created(String userId, String keyId, String correlationId) {
    }

    @Test
    void keyCommandsOfManyMembersAreCommittedTogetherYetEachIsItsOwnRequest() throws Exception {
        String project = createProject();
        List<String> keys = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            keys.add(memberKey(project, "member" + m, "TENANT_USER"));
        }
        String full = memberKey(project, "full", "TENANT_USER");
        for (int k = 1; k < LIMIT; k++) {
            createKey(project, "full");
        }
        String path = "/api/v1/projects/" + project + "/keys";

        Map<String, Created> created = new ConcurrentHashMap<>();
        List<Api.Response> refusals = Collections.synchronizedList(new ArrayList<>());
        eachAtOnce(MEMBERS + 1, client -> {
            for (int round = 0; round < ROUNDS; round++) {
                if (client == MEMBERS) {
                    refusals.add(api.post(path, full, Api.json("name", "one too many " + round)));
                    continue;
                }
                Api.Response create = api.post(path, keys.get(client), Api.json("name", "round " + round));
                assertThat(create.status()).as(create.raw()).isEqualTo(201);
                assertThat(create.text("userId")).isEqualTo("member" + client);
                created.put(create.text("keyId"), new Created("member" + client, create.text("keyId"),
                        create.header(CorrelationIdFilter.HEADER)));
                Api.Response delete = api.delete(path + "/" + create.text("keyId"), keys.get(client));
                assertThat(delete.status()).as(delete.raw()).isEqualTo(204);
            }
        });

        assertThat(refusals).hasSize(ROUNDS).allSatisfy(refused -> {
            assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("KEY_LIMIT_REACHED");
        });
        assertThat(created).hasSize(MEMBERS * ROUNDS);
        List<Map<String, Object>> events = jdbc.sql("""
                        SELECT convert_from(payload, 'UTF8')::jsonb ->> 'keyId' AS key_id,
                               aggregate_identifier,
                               convert_from(meta_data, 'UTF8')::jsonb ->> 'correlationId' AS correlation_id,
                               convert_from(meta_data, 'UTF8')::jsonb ->> 'actorUserId' AS actor_user_id,
                               xmin::text AS transaction
                        FROM domain_event_entry
                        WHERE aggregate_identifier LIKE ? AND payload_type LIKE '%KeyCreated'
                        """)
                .param(MembershipId.prefixOf(project) + "%").query().listOfRows();
        List<Map<String, Object>> roundEvents = events.stream()
                .filter(event -> created.containsKey((String) event.get("key_id"))).toList();
        assertThat(roundEvents).as("one KeyCreated for each key answered").hasSize(MEMBERS * ROUNDS);
        assertThat(events).as("and none for a refusal: the full member has its own five")
                .filteredOn(event -> event.get("aggregate_identifier").equals(MembershipId.of(project, "full")))
                .hasSize(LIMIT);
        assertThat(roundEvents).allSatisfy(event -> {
            Created answer = created.get((String) event.get("key_id"));
            assertThat(event.get("aggregate_identifier")).isEqualTo(MembershipId.of(project, answer.userId()));
            assertThat(event.get("correlation_id")).as("the correlation id of %s", answer)
                    .isEqualTo(answer.correlationId());
            assertThat(event.get("actor_user_id")).isEqualTo(answer.userId());
        });
        assertThat(roundEvents.stream().map(event -> event.get("transaction")).distinct().count())
                .as("transactions that stored the %d new keys", roundEvents.size()).isLessThan(roundEvents.size());
        for (int m = 0; m < MEMBERS; m++) {
            assertThat(api.get(path, keys.get(m)).body().path("keys").findValuesAsString("name"))
                    .as("member%d keeps only the key it started with", m).containsExactly("key of member" + m);
        }
        assertThat(api.get(path + "?userId=full", full).body().path("keys")).hasSize(LIMIT);
    }

    /** Runs each client's work on a thread of its own, all released at one gate. */
    private static void eachAtOnce(int clients, IntConsumer work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch ready = new CountDownLatch(clients);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    work.accept(client);
                    return null;
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<?> client : running) {
                client.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
