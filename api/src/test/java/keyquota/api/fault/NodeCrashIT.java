package keyquota.api.fault;

import keyquota.api.support.node.ServiceNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * Two nodes on one database under load from 16 client threads; one node is killed with SIGKILL mid-load. What
 * either node acknowledged must survive it: in the read models, in the event store and in the audit log, as the
 * survivor shows them. A command whose answer was lost with the killed node may or may not have happened: it is
 * sent again to the survivor (idempotently) before the checks, so that they are exact.
 * <p>
 * After the kill the survivor takes all the load, as it would behind a load balancer: then more commands at once
 * on the project's one quota aggregate than it has database connections (10 by default). It must keep answering
 * them, with no 5xx, and without stalling.
 */
class NodeCrashIT extends FaultTestBase {

    private static final int THREADS = 16;

    /** Under this load a healthy node acknowledges something every few tens of ms; the pool's wait is 5 s. */
    private static final long LONGEST_SILENCE_MS = 4_000;

    @BeforeAll
    void startTwoNodes() throws Exception {
        startCluster("node-a", "node-b");
    }

    @Test
    void aNodeKilledMidLoadLosesNothingEitherNodeAcknowledged() throws Exception {
        // node-a started first, so it holds the audit processor's segment: the survivor must take it over
        ServiceNode doomed = nodes.get(0);
        ServiceNode survivor = nodes.get(1);
        Ledger ledger = new Ledger(Ledger.Unavailability.NEVER);
        Setup setup = setUp(doomed, ledger, THREADS);
        AtomicReference<List<ServiceNode>> targets = new AtomicReference<>(List.of(doomed, survivor));
        Load load = new Load(ledger, setup.project(), OPERATOR, setup.serviceKey(), THREADS, setup.keys(),
                targets::get);

        long loadStarted = ledger.now();
        load.start();
        // both nodes busy for a few seconds before the kill
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ofSeconds(3))
                .until(() -> acknowledgedBy(ledger, doomed) >= 50 && acknowledgedBy(ledger, survivor) >= 50);
        long killed = ledger.now();
        doomed.kill();
        // as a load balancer would, send no more to it; requests in flight at the kill get no answer
        targets.set(List.of(survivor));
        long acknowledgedBeforeKill = acknowledgedBy(ledger, doomed);
        Thread.sleep(8_000);
        load.stop();
        long loadStopped = ledger.now();

        settleUnknowns(survivor, ledger, setup.project(), setup.serviceKey());
        long silence = longestSilence(ledger, survivor.name(), loadStarted, loadStopped);
        System.out.println("NodeCrashIT: killed " + doomed + " at " + (killed - loadStarted) + " ms of "
                + (loadStopped - loadStarted) + " ms of load; the survivor's longest silence " + silence + " ms; "
                + ledger.summary());

        assertAll(
                () -> assertNoServerErrors(ledger),
                () -> assertNoUnexpectedAnswers(ledger, "the database is up all along: 503 is wrong here too"),
                () -> {
                    List<Ledger.Answer> unanswered = ledger.answers(answer -> !answer.answered()
                            && !answer.node().equals(doomed.name()));
                    assertNone(unanswered, "requests to the survivor that got no answer within %s: %s",
                            ServiceNode.REQUEST_TIMEOUT);
                },
                () -> assertThat(acknowledgedBeforeKill).as("commands the killed node acknowledged").isPositive(),
                () -> assertThat(silence)
                        .as("longest time (ms) the survivor acknowledged nothing under load (kill at %d ms of %d)",
                                killed - loadStarted, loadStopped - loadStarted)
                        .isLessThan(LONGEST_SILENCE_MS),
                () -> assertKeys(survivor, ledger, setup.project()),
                () -> assertUsage(survivor, ledger, setup.project()),
                () -> assertEventStore(ledger, setup.project()),
                () -> awaitAuditComplete(survivor, ledger, "projectId=" + setup.project(), false));
    }

    private static long acknowledgedBy(Ledger ledger, ServiceNode node) {
        return ledger.answers(answer -> answer.op() != null && answer.acknowledged()
                && answer.node().equals(node.name())).size();
    }
}
