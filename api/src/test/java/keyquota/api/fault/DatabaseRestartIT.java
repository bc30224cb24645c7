package keyquota.api.fault;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.node.ServiceNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * Two nodes under load while their PostgreSQL is stopped for a few seconds and started again on the same port and
 * data. While it is away every answer is 503 UNAVAILABLE ("nothing was changed"), never a 500; once it is back
 * the nodes serve again by themselves, within 10 s, and nothing they acknowledged is lost.
 */
class DatabaseRestartIT extends FaultTestBase {

    private static final int THREADS = 6;

    /**
     * Longer than twice the pool's 5 s wait for a connection (after which a request is answered 503): a request in
     * flight at the stop may take those 5 s to be answered, and the one its thread sends next must still be
     * answered entirely while the database is away.
     */
    private static final Duration DOWN = Duration.ofSeconds(12);
    private static final long RECOVERY_MS = 10_000;

    private volatile long stopCalled = Long.MAX_VALUE;
    private volatile long stopped = Long.MAX_VALUE;
    private volatile long startCalled = Long.MAX_VALUE;
    private volatile long started = Long.MAX_VALUE;

    /**
     * 503 UNAVAILABLE is the right answer from the moment the stop was asked for until the nodes have had
     * RECOVERY_MS to reconnect; it is certainly a refusal when the database was down for the whole request.
     */
    private final Ledger.Unavailability outage = new Ledger.Unavailability() {
        @Override
        public boolean allowed(Ledger.Answer answer) {
            return answer.endedAt() >= stopCalled
                    && (started == Long.MAX_VALUE || answer.startedAt() <= started + RECOVERY_MS);
        }

        @Override
        public boolean certainlyRefused(Ledger.Answer answer) {
            return answer.startedAt() >= stopped && answer.endedAt() <= startCalled;
        }
    };

    @BeforeAll
    void startTwoNodes() throws Exception {
        startCluster("node-a", "node-b");
    }

    @Test
    void theNodesRideOutADatabaseRestartAndLoseNothingTheyAcknowledged() throws Exception {
        Ledger ledger = new Ledger(outage);
        ServiceNode first = nodes.get(0);
        Setup setup = setUp(first, ledger, THREADS);
        Load load = new Load(ledger, setup.project(), OPERATOR, setup.serviceKey(), THREADS, setup.keys(),
                () -> nodes);

        // A console session, signed in on one node: it lives in PostgreSQL, so the other node serves it too.
        String keysPage = "/projects/" + setup.project() + "/keys";
        expect(first, "PUT", "/api/v1/projects/" + setup.project() + "/members/console", OPERATOR,
                Api.json("role", "TENANT_ADMIN"), 200);
        ConsoleClient console = new ConsoleClient(first.port());
        console.signIn(expect(first, "POST", "/api/v1/projects/" + setup.project() + "/keys", OPERATOR,
                Api.json("userId", "console", "name", "console"), 201).text("key"));
        ConsoleClient consoleOnSecond = console.onPort(nodes.get(1).port());
        assertThat(consoleOnSecond.get(keysPage).status()).as("the session on the other node").isEqualTo(200);

        load.start();
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ofSeconds(3))
                .until(() -> ledger.acknowledged() >= 100);
        stopCalled = ledger.now();
        database.stop();
        stopped = ledger.now();
        ConsoleClient.Page pageWhileDown = console.get(keysPage);
        Thread.sleep(Math.max(0, DOWN.toMillis() - (ledger.now() - stopped)));
        startCalled = ledger.now();
        database.start();
        started = ledger.now();
        await().atMost(Duration.ofMillis(RECOVERY_MS)).until(() -> consoleOnSecond.get(keysPage).status() == 200);
        // the load goes on past the recovery limit, so that full service after it is checked too
        Thread.sleep(RECOVERY_MS + 5_000);
        load.stop();

        settleUnknowns(first, ledger, setup.project(), setup.serviceKey());
        System.out.println("DatabaseRestartIT: database stopped " + stopCalled + ".." + stopped + " ms, started "
                + startCalled + ".." + started + " ms; " + ledger.summary());

        List<Ledger.Answer> whileDown = ledger.answers(answer -> answer.op() != null
                && answer.startedAt() >= stopped && answer.endedAt() <= startCalled);
        assertAll(
                () -> assertNoServerErrors(ledger),
                () -> assertNoUnexpectedAnswers(ledger, "503 only from the stop until " + RECOVERY_MS
                        + " ms after the start"),
                () -> {
                    List<Ledger.Answer> unanswered = ledger.answers(answer -> !answer.answered());
                    assertNone(unanswered, "requests with no answer within %s (the pool gives up after 5 s): %s",
                            ServiceNode.REQUEST_TIMEOUT);
                },
                () -> {
                    assertThat(whileDown).as("requests sent and answered while the database was down").isNotEmpty();
                    List<Ledger.Answer> wrong = whileDown.stream().filter(answer -> !answer.isUnavailable()).toList();
                    assertNone(wrong, "answers while the database was down that are not 503 UNAVAILABLE"
                            + " problem details: %s");
                },
                () -> {
                    for (ServiceNode node : nodes) {
                        assertThat(node.isAlive()).as("%s still runs", node).isTrue();
                        OptionalLong recovered = ledger.answers(answer -> answer.op() != null
                                        && answer.acknowledged() && answer.node().equals(node.name())
                                        && answer.startedAt() >= started).stream()
                                .mapToLong(Ledger.Answer::endedAt).min();
                        assertThat(recovered).as("%s acknowledged a command after the database came back", node)
                                .isPresent();
                        assertThat(recovered.getAsLong() - started)
                                .as("ms until %s acknowledged a command after the database came back", node)
                                .isLessThanOrEqualTo(RECOVERY_MS);
                    }
                },
                () -> {
                    assertThat(pageWhileDown.status()).as(pageWhileDown.body()).isEqualTo(503);
                    assertThat(pageWhileDown.header("content-type")).startsWith("text/html");
                    assertThat(pageWhileDown.body()).contains("its database cannot be reached");
                },
                () -> assertKeys(first, ledger, setup.project()),
                () -> assertUsage(nodes.get(1), ledger, setup.project()),
                () -> assertEventStore(ledger, setup.project()),
                () -> awaitAuditComplete(first, ledger, "", true));
    }
}
