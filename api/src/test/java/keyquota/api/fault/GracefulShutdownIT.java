package keyquota.api.fault;

import keyquota.api.support.Api;
import keyquota.api.support.node.ServiceNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * Nodes on one database, each stopped with SIGTERM while 16 client threads keep it busy (commands on one quota
 * aggregate, so many of them wait for its lock and are in flight at the signal).
 * <p>
 * Node A has a readiness delay: as a load balancer would, the clients go on sending to it until its readiness
 * probe says OUT_OF_SERVICE, and then only to B. Every request A received must get its answer, and B's streaming
 * processors must take A's segments over at once: A releases its claims as it stops, so B does not wait for them to
 * time out (Axon's JdbcTokenStore claim timeout, 10 s). Node C has none (the default): the clients turn to B at the
 * signal, and the requests C had then are drained by the web server's graceful shutdown, while Axon still runs.
 * Either way every acknowledged command is in the store and the node ends within the bound.
 */
class GracefulShutdownIT extends FaultTestBase {

    private static final int THREADS = 16;
    private static final Duration READINESS_DELAY = Duration.ofSeconds(3);
    /** The readiness delay, the drain (spring.lifecycle.timeout-per-shutdown-phase, 20 s) and Axon's stop. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(30);
    /**
     * B's coordinator looks for unclaimed segments every tokenClaimInterval (Axon's default 5 s); a claim A kept
     * would be free only 10 s after A last extended it.
     */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(8);
    /** The JVM's exit status after a SIGTERM whose shutdown hooks (Spring's close) have all finished. */
    private static final int EXIT_ON_SIGTERM = 128 + 15;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void startTwoNodes() throws Exception {
        startCluster(Map.of("KEYQUOTA_SHUTDOWN_READINESS_DELAY", READINESS_DELAY.toSeconds() + "s"),
                "node-a", "node-b");
    }

    @Test
    void aStoppedNodeAnswersWhatItTookAndTheOtherTakesItsProcessorsAtOnce() throws Exception {
        // node-a started first, so it holds every streaming processor's segment
        ServiceNode stopping = nodes.get(0);
        ServiceNode other = nodes.get(1);
        String ownerA = stopping.pid() + "@";
        String ownerB = other.pid() + "@";
        assertThat(claims()).as("token claims before the stop: audit, notifications, usage_history").hasSize(3)
                .allMatch(claim -> heldBy(claim, ownerA));

        Busy busy = keepBusy(stopping);
        Ledger ledger = busy.ledger();
        Setup setup = busy.setup();
        AtomicReference<List<ServiceNode>> targets = busy.targets();
        Load load = busy.load();

        long signalled = ledger.now();
        stopping.terminate();
        Queue<String> readiness = new ConcurrentLinkedQueue<>();
        long outOfService = awaitOutOfService(stopping, ledger, readiness);
        // the balancer has seen it: nothing new goes to A
        targets.set(List.of(other));
        int exitCode = stopping.awaitExit(STOP_BOUND);
        long exited = ledger.now();
        List<String> claimsAtExit = claims();
        // B's audit processor then works through no more than what the load sent until now
        load.stop();

        long takenOver = awaitClaims(ownerB, ledger);
        String auditedKey = expect(other, "POST", "/api/v1/projects/" + setup.project() + "/keys", OPERATOR,
                Api.json("userId", Load.member(0), "name", "after the stop"), 201).text("keyId");
        ledger.keys.put(auditedKey, Load.member(0));
        long audited = awaitAuditEntry(other, ledger, auditedKey);

        List<Ledger.Answer> toA = ledger.answers(answer -> answer.op() != null
                && answer.node().equals(stopping.name()));
        long inFlightAtSignal = toA.stream().filter(answer -> answer.startedAt() < signalled
                && answer.endedAt() > signalled).count();
        long acknowledgedAfterSignal = toA.stream().filter(answer -> answer.acknowledged()
                && answer.startedAt() > signalled).count();
        System.out.println("GracefulShutdownIT: SIGTERM at " + signalled + " ms; " + inFlightAtSignal
                + " requests in flight then, " + acknowledgedAfterSignal + " acknowledged by A after it; readiness "
                + "OUT_OF_SERVICE after " + (outOfService - signalled) + " ms; A exited " + exitCode + " after "
                + (exited - signalled) + " ms; claims at its exit " + claimsAtExit + "; B owned every segment "
                + (takenOver - exited) + " ms after, audited a new command " + (audited - exited) + " ms after; "
                + ledger.summary());

        assertAll(
                () -> assertThat(inFlightAtSignal).as("requests to A in flight at SIGTERM").isPositive(),
                () -> {
                    List<Ledger.Answer> unanswered = ledger.answers(answer -> !answer.answered());
                    assertNone(unanswered, "requests that got no answer (A received each before its readiness"
                            + " said OUT_OF_SERVICE): %s");
                },
                () -> assertNoServerErrors(ledger),
                () -> assertNoUnexpectedAnswers(ledger, "a stopping node refuses nothing it received"),
                () -> assertThat(readiness).as("A's readiness answers after SIGTERM")
                        .anyMatch(answer -> answer.startsWith("503") && answer.contains("OUT_OF_SERVICE")),
                () -> assertThat(acknowledgedAfterSignal)
                        .as("commands A acknowledged after SIGTERM (it serves while readiness says OUT_OF_SERVICE)")
                        .isPositive(),
                () -> assertThat(exitCode).as("A's exit status (143: SIGTERM, shutdown completed)")
                        .isEqualTo(EXIT_ON_SIGTERM),
                () -> assertThat(stopping.tail(200)).as("A's log")
                        .contains("Graceful shutdown complete")
                        .doesNotContain("Graceful shutdown aborted"),
                () -> assertThat(claimsAtExit).as("token claims just after A exited: released, none left to A")
                        .noneMatch(claim -> heldBy(claim, ownerA)),
                () -> assertThat(takenOver - exited).as("ms from A's exit until B claimed every segment")
                        .isLessThan(TAKEOVER_BOUND.toMillis()),
                () -> assertThat(audited - exited).as("ms from A's exit until B audited a command sent to it")
                        .isLessThan(TAKEOVER_BOUND.toMillis() + 2_000),
                () -> assertKeys(other, ledger, setup.project()),
                () -> assertUsage(other, ledger, setup.project()),
                () -> assertEventStore(ledger, setup.project()),
                () -> awaitAuditComplete(other, ledger, "projectId=" + setup.project(), false));
    }

    @Test
    void withoutReadinessDelayTheRequestsInFlightAtTheSignalAreDrained() throws Exception {
        ServiceNode stopping = startNode("node-c", database, Map.of());
        ServiceNode other = nodes.get(1);
        Busy busy = keepBusy(stopping);
        Ledger ledger = busy.ledger();
        Setup setup = busy.setup();
        AtomicReference<List<ServiceNode>> targets = busy.targets();
        Load load = busy.load();

        long signalled = ledger.now();
        stopping.terminate();
        targets.set(List.of(other));
        int exitCode = stopping.awaitExit(STOP_BOUND);
        long exited = ledger.now();
        load.stop();
        // a request a client sent to C after the signal may have been refused (it takes none then): not under test
        Predicate<Ledger.Answer> sentLate = answer -> answer.node().equals(stopping.name())
                && answer.startedAt() >= signalled;
        settleUnknowns(other, ledger, setup.project(), setup.serviceKey());

        List<Ledger.Answer> inFlight = ledger.answers(answer -> answer.op() != null
                && answer.node().equals(stopping.name()) && answer.startedAt() < signalled
                && answer.endedAt() > signalled);
        System.out.println("GracefulShutdownIT: SIGTERM to C at " + signalled + " ms; " + inFlight.size()
                + " requests in flight then, the last answered " + inFlight.stream()
                .mapToLong(answer -> answer.endedAt() - signalled).max().orElse(-1) + " ms after it; C exited "
                + exitCode + " after " + (exited - signalled) + " ms; " + ledger.summary());

        assertAll(
                () -> assertThat(inFlight).as("requests to C in flight at SIGTERM").isNotEmpty()
                        .allMatch(answer -> answer.acknowledged() || answer.status() == 409, "2xx or 409"),
                () -> assertNone(ledger.answers(answer -> !answer.answered() && !sentLate.test(answer)),
                        "requests sent before the signal (or to B) that got no answer: %s"),
                () -> assertNone(ledger.answers(answer -> answer.status() >= 500 && !sentLate.test(answer)),
                        "requests sent before the signal (or to B) answered with a server error: %s"),
                () -> assertNone(ledger.unexpected().stream().filter(sentLate.negate()).toList(),
                        "answers the contract does not allow to requests sent before the signal (or to B): %s"),
                () -> assertThat(exitCode).as("C's exit status (143: SIGTERM, shutdown completed)")
                        .isEqualTo(EXIT_ON_SIGTERM),
                () -> assertThat(stopping.tail(200)).as("C's log")
                        .contains("Graceful shutdown complete")
                        .doesNotContain("Graceful shutdown aborted"),
                () -> assertKeys(other, ledger, setup.project()),
                () -> assertUsage(other, ledger, setup.project()),
                () -> assertEventStore(ledger, setup.project()),
                () -> awaitAuditComplete(other, ledger, "projectId=" + setup.project(), false));
    }

    /**
     * The default way to run: no database configured, so the node runs an embedded PostgreSQL. That database must
     * outlive the drain: its library's own shutdown hook used to stop it at the signal, and a command sent while
     * readiness said OUT_OF_SERVICE was answered 503.
     */
    @Test
    void onItsEmbeddedDatabaseANodeServesThroughItsDrain() throws Exception {
        ServiceNode embedded = startNode("node-embedded", null, Map.of("KEYQUOTA_SHUTDOWN_READINESS_DELAY",
                READINESS_DELAY.toSeconds() + "s"));

        embedded.terminate();
        Thread.sleep(500);
        Api.Response created = embedded.send("POST", "/api/v1/projects", OPERATOR,
                Api.json("projectId", "DRAIN-1", "name", "made while draining"));
        Api.Response read = embedded.send("GET", "/api/v1/projects/DRAIN-1", OPERATOR, null);
        int exitCode = embedded.awaitExit(STOP_BOUND);

        assertAll(
                () -> assertThat(created.status()).as(created.raw()).isEqualTo(201),
                () -> assertThat(read.status()).as(read.raw()).isEqualTo(200),
                () -> assertThat(exitCode).as("exit status").isEqualTo(EXIT_ON_SIGTERM),
                () -> assertThat(embedded.tail(400)).as("the node's log")
                        .contains("Graceful shutdown complete")
                        .doesNotContain("terminating connection due to administrator command")
                        .doesNotContain("Timed out during shutdown phase"));
    }

    /** A load on one node, with the targets its clients send to, which a test turns to another node. */
    private record Busy(Ledger ledger, Setup setup, AtomicReference<List<ServiceNode>> targets, Load load) {
    }

    /** Starts the load on the node and waits until it has acknowledged some commands. */
    private Busy keepBusy(ServiceNode node) throws Exception {
        Ledger ledger = new Ledger(Ledger.Unavailability.NEVER);
        Setup setup = setUp(node, ledger, THREADS);
        AtomicReference<List<ServiceNode>> targets = new AtomicReference<>(List.of(node));
        Load load = new Load(ledger, setup.project(), OPERATOR, setup.serviceKey(), THREADS, setup.keys(),
                targets::get);
        load.start();
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ofSeconds(2))
                .until(() -> ledger.acknowledged() >= 50);
        return new Busy(ledger, setup, targets, load);
    }

    /**
     * Polls A's readiness probe (each answer kept as "status body") until it says OUT_OF_SERVICE; when that
     * happens. A probe that cannot connect counts too: A then no longer takes any request.
     */
    private long awaitOutOfService(ServiceNode node, Ledger ledger, Queue<String> answers) throws Exception {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://localhost:" + node.port()
                + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + STOP_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
                answers.add(answer.statusCode() + " " + answer.body());
                if (answer.statusCode() != 200) {
                    return ledger.now();
                }
            } catch (IOException e) {
                answers.add("no answer: " + e);
                return ledger.now();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("A's readiness never changed after SIGTERM: " + answers);
    }

    /**
     * Every streaming processor segment (audit, notifications, usage_history) as "processor segment owner", "-" if
     * unclaimed.
     */
    private List<String> claims() {
        return database.column("SELECT processor_name || ' ' || segment || ' ' || coalesce(owner, '-')"
                + " FROM token_entry ORDER BY processor_name, segment");
    }

    /** Whether the claim is held by the owner ({@code pid@}, as Axon names a JVM). */
    private static boolean heldBy(String claim, String owner) {
        return claim.substring(claim.lastIndexOf(' ') + 1).startsWith(owner);
    }

    /** Waits until the owner holds every segment; when that was. */
    private long awaitClaims(String owner, Ledger ledger) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(claims()).isNotEmpty().allMatch(claim -> heldBy(claim, owner)));
        return ledger.now();
    }

    /** Waits until the audit log (read on the node) has the key's creation; when that was. */
    private long awaitAuditEntry(ServiceNode node, Ledger ledger, String keyId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                auditEntries(node, ledger, "keyId=" + keyId).stream().anyMatch(entry ->
                        "KeyCreated".equals(entry.path("type").asString())));
        return ledger.now();
    }
}
