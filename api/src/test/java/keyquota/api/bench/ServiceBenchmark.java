package keyquota.api.bench;

import keyquota.api.support.Api;
import keyquota.api.support.node.NodeDatabase;
import keyquota.api.support.node.ServiceNode;
import keyquota.application.secret.KeySecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The performance benchmark of issue #8. The packaged service runs as a process of its own ({@code java -Xmx512m
 * -jar keyquota.jar}) on a fresh embedded PostgreSQL; this JVM loads it over HTTP and, in the same run, does the
 * same work with plain JDBC on the same PostgreSQL. Every figure is printed with its ratio to that baseline (or
 * to its limit), then all of them again in a table, also written to target/benchmark/summary.md. The machine is
 * shared, so only the ratios compare across runs.
 * <p>
 * Not part of the test run: {@code mvn -B -Pbenchmark -pl api -am verify}. System properties:
 * {@code bench.seconds} (measured time of each load, 10), {@code bench.warmup} (5), {@code bench.history.events}
 * (10,000), {@code bench.replay.events} (the store replayed, 200,000: at a million the live audit processor alone
 * takes minutes to catch up with the appended events before the replays can be timed on quiet cores),
 * {@code bench.phases} (which phases run, all by default), {@code bench.jit.minutes} (the warm-up before them,
 * 3), {@code bench.soak.minutes} (the steady-heap load, 10).
 */
@Tag("benchmark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceBenchmark {

    private static final String OPERATOR = KeySecret.generate(new SecureRandom()).reveal();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup", 5));
    private static final Duration MEASURED = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final int HISTORY_EVENTS = Integer.getInteger("bench.history.events", 10_000);
    private static final long REPLAY_EVENTS = Long.getLong("bench.replay.events", 200_000);
    private static final Duration SOAK = Duration.ofMinutes(Long.getLong("bench.soak.minutes", 10));
    /**
     * The mixed load that warms the node up before any figure is taken: on 2 cores its JIT compiler goes on
     * compiling for about three minutes of load, and the first figures measured it, not the service.
     */
    private static final Duration JIT_WARM_UP = Duration.ofMinutes(Long.getLong("bench.jit.minutes", 3));
    /** The phases to run ({@code -Dbench.phases=commands,hot}), all by default: one at a time for profiling. */
    private static final Set<String> PHASES = Set.of(System.getProperty("bench.phases",
            "commands,hot,history,verification,lastused,replay,soak,usagehistory").split(","));

    /** Client threads of the command loads, as in the issue. */
    private static final int THREADS = 8;
    /** Connections of the verification load, as wrk -c32. */
    private static final int CONNECTIONS = 32;
    /** ServiceNode starts the node with -Xmx512m: a heap that outgrows it is an OutOfMemoryError in its log. */
    private static final long HEAP_LIMIT = 512L * 1024 * 1024;
    /** A fresh aggregate gets this many units (each two commands), then another fresh one is taken. */
    private static final int UNITS_PER_FRESH_AGGREGATE = 10;

    private final Figures figures = new Figures();
    private final AtomicInteger projects = new AtomicInteger();
    private final AtomicLong pairIds = new AtomicLong();
    private Path directory;
    private NodeDatabase database;
    private ServiceNode node;
    private JdbcBaselines jdbc;
    private CopiedEvents copies;

    @BeforeAll
    void startTheService() throws Exception {
        directory = Path.of("target", "benchmark").toAbsolutePath();
        deleteRecursively(directory);
        Files.createDirectories(directory);
        database = new NodeDatabase(directory);
        database.start();
        database.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        jdbc = new JdbcBaselines(database.jdbcUrl());
        copies = new CopiedEvents(database);
        node = new ServiceNode("keyquota", directory);
        node.start(database, OPERATOR);
        node.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    void stopTheService() throws Exception {
        if (node != null) {
            node.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void benchmark() throws Exception {
        long started = System.nanoTime();
        describe();
        heap("heap after start");
        warmUp();
        forgetStatements();
        if (PHASES.contains("commands")) {
            commandsOnDistinctAggregates();
            statements("phase 1");
        }
        if (PHASES.contains("hot") || PHASES.contains("history")) {
            HotProject hot = hotProject();
            statements("phase 2");
            if (PHASES.contains("history")) {
                flatInHistory(hot);
                statements("phase 3");
            }
        }
        if (PHASES.contains("verification")) {
            verification();
            statements("phase 4");
        }
        if (PHASES.contains("lastused")) {
            lastUsedCostsNothingNoticeable();
            statements("phase 4b");
        }
        if (PHASES.contains("replay")) {
            replay();
            statements("phase 5");
        }
        if (PHASES.contains("soak")) {
            steadyHeap();
            statements("phase 6");
        }
        if (PHASES.contains("usagehistory")) {
            usageHistory();
            statements("phase 7");
        }
        figures.summary(directory.resolve("summary.md"));
        Figures.note("the whole benchmark took %.0f s; the node's log is %s", (System.nanoTime() - started) / 1e9,
                node.log());
        assertThat(node.isAlive()).as("the node still runs").isTrue();
        assertThat(Files.readString(node.log(), StandardCharsets.UTF_8)).as("the node's log")
                .doesNotContain("OutOfMemoryError");
    }

    private void describe() {
        Figures.phase("Setup");
        Figures.note("%d cores; the service: %s, -Xmx512m, its own process; PostgreSQL %s (fsync %s,"
                        + " synchronous_commit %s) on the same machine", Runtime.getRuntime().availableProcessors(),
                ServiceNode.jar().getFileName(), setting("server_version"), setting("fsync"),
                setting("synchronous_commit"));
        Figures.note("each load: %d s warm-up, %d s measured; history %,d events; replay store %,d events",
                WARM_UP.toSeconds(), MEASURED.toSeconds(), HISTORY_EVENTS, REPLAY_EVENTS);
    }

    // ---- 1. commands on distinct aggregates

    private void commandsOnDistinctAggregates() throws Exception {
        Figures.phase("1. Commands on distinct aggregates: create + delete key cycles, " + THREADS + " members on "
                + THREADS + " threads, each member's own key");
        String project = project();
        List<String> memberKeys = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            memberKeys.add(memberKey(project, "c" + t));
        }
        Steady.Result commits = jdbc.singleRowCommits(THREADS, WARM_UP, MEASURED);
        Figures.note("baseline: plain JDBC single-row INSERT + commit on %d threads: %,d commits", THREADS,
                commits.units());
        String keys = "/api/v1/projects/" + project + "/keys";
        Steady.Result cycles = Steady.run(THREADS, WARM_UP, MEASURED, thread -> http(connection -> {
            String key = memberKeys.get(thread);
            String keyId = field(expect(connection.post(keys, key, Api.json("name", "bench")), 201), "keyId");
            expect(connection.delete(keys + "/" + keyId, key), 204);
        }));
        Figures.note("keyquota: %,d cycles (%,d commands), p50 %s ms, p99 %s ms a cycle", cycles.units(),
                2 * cycles.units(), Figures.number(cycles.percentileMillis(50)),
                Figures.number(cycles.percentileMillis(99)));
        double commands = 2 * cycles.perSecond();
        figures.ratio("commands on distinct aggregates", commands, "commands/s", commits.perSecond(), "commits/s",
                commands / commits.perSecond(), 0.1);
        heap("heap after commands");
    }

    // ---- 2. one hot project

    private record HotProject(String project, String serviceKey) {

        String allocations() {
            return "/api/v1/projects/" + project + "/quotas/CCS/allocations";
        }
    }

    private HotProject hotProject() throws Exception {
        Figures.phase("2. Hot project: allocate + release pairs on one project's CCS quota from " + THREADS
                + " threads, a CCS service key");
        HotProject hot = new HotProject(project(), serviceKey());
        // each member holds one allocation throughout, and each thread has one more in flight: room for exactly
        // that, so the quota is full at times and any refusal is an error
        long cpu = 2L * THREADS;
        long memory = 4L * THREADS;
        setQuota(hot.project(), cpu, memory);
        for (int t = 0; t < THREADS; t++) {
            addMember(hot.project(), "h" + t);
            expect(node.send("POST", hot.allocations(), hot.serviceKey(), allocation("held-" + t, "h" + t)), 201);
        }
        Steady.Result baseline = jdbc.guardedUpdatePairs(THREADS, WARM_UP, MEASURED);
        Figures.note("baseline: guarded UPDATE (used + n <= quota) then a release UPDATE on one row, each its own"
                + " commit, %d threads: %,d pairs", THREADS, baseline.units());
        AtomicLong ids = new AtomicLong();
        AtomicLong highestCpu = new AtomicLong();
        AtomicLong highestMemory = new AtomicLong();
        Steady.Result pairs = Steady.run(THREADS, WARM_UP, MEASURED, thread -> http(connection -> {
            String allocationId = "p" + ids.incrementAndGet();
            HttpConnection.Answer allocated = expect(connection.post(hot.allocations(), hot.serviceKey(),
                    allocation(allocationId, "h" + thread)), 201);
            JsonNode usage = JSON.readTree(allocated.body()).path("usage").path("project");
            highestCpu.accumulateAndGet(usage.path("cpu").asLong(), Math::max);
            highestMemory.accumulateAndGet(usage.path("memory").asLong(), Math::max);
            expect(connection.delete(hot.allocations() + "/" + allocationId, hot.serviceKey()), 204);
        }));
        Figures.note("keyquota: %,d pairs (%,d commands), p50 %s ms, p99 %s ms a pair", pairs.units(),
                2 * pairs.units(), Figures.number(pairs.percentileMillis(50)),
                Figures.number(pairs.percentileMillis(99)));
        figures.ratio("allocate + release on one hot project", pairs.perSecond(), "pairs/s", baseline.perSecond(),
                "pairs/s", pairs.perSecond() / baseline.perSecond(), 0.25);

        // zero over-allocation: no answer showed usage above the quota, and what is left is exactly what is held
        JsonNode view = expect(node.send("GET", "/api/v1/projects/" + hot.project() + "/quotas/CCS", OPERATOR,
                null), 200).body();
        JsonNode usage = view.path("project").path("usage");
        long held = THREADS;
        assertThat(highestCpu.get()).as("highest project cpu usage any allocation answered").isLessThanOrEqualTo(cpu);
        assertThat(highestMemory.get()).as("highest project memory usage any allocation answered")
                .isLessThanOrEqualTo(memory);
        assertThat(List.of(usage.path("cpu").asLong(), usage.path("memory").asLong()))
                .as("project usage after the load: the %d allocations held", held).containsExactly(held, 2 * held);
        for (JsonNode member : view.path("members").values()) {
            assertThat(member.path("usage").path("cpu").asLong()).as("cpu usage of %s", member).isEqualTo(1);
        }
        Map<String, Long> events = eventTypes(hot.project() + ":CCS");
        assertThat(events.getOrDefault("UsageAllocated", 0L) - events.getOrDefault("UsageReleased", 0L))
                .as("allocations less releases in the event store").isEqualTo(held);
        figures.check("over-allocation on the hot project", "highest usage " + highestCpu + " cpu",
                "quota " + cpu + " cpu", "final usage " + usage.path("cpu").asLong() + " cpu = " + held + " held",
                "none", true);
        heap("heap after hot project");
        return hot;
    }

    // ---- 3. flat in history

    private void flatInHistory(HotProject hot) throws Exception {
        Figures.phase("3. Flat in history: a command on an aggregate with " + String.format("%,d", HISTORY_EVENTS)
                + " events in its history vs on a fresh one (one client thread, alternating)");
        // the membership's history: one real key created and deleted, copied in the store (over HTTP it would
        // take far too long while each command replays the whole history)
        String project = project();
        addMember(project, "long");
        String keys = "/api/v1/projects/" + project + "/keys";
        String templateKey = expect(node.send("POST", keys, OPERATOR, Api.json("userId", "long", "name", "history")),
                201).text("keyId");
        expect(node.send("DELETE", keys + "/" + templateKey, OPERATOR, null), 204);
        String membership = project + "/long";
        long copyStart = System.nanoTime();
        int cycles = (int) Math.max(1, (HISTORY_EVENTS - copies.count(membership) + 1) / 2);
        long membershipEvents = copies.appendKeyCycles(membership, templateKey, cycles);
        Figures.note("membership %s: %,d events, %,d of them copies of its one real create + delete (%.1f s)",
                membership, membershipEvents, 2L * cycles, (System.nanoTime() - copyStart) / 1e9);

        // the quota's history: the hot project's, topped up over HTTP (feasible: the aggregate is snapshotted, so
        // a command loads at most about 100 events)
        long quotaStart = System.nanoTime();
        long quotaEvents = topUp(hot, HISTORY_EVENTS);
        Figures.note("project quota %s:CCS: %,d events, all from commands over HTTP (topped up in %.1f s)",
                hot.project(), quotaEvents, (System.nanoTime() - quotaStart) / 1e9);
        awaitAuditCaughtUp(Duration.ofMinutes(5));

        String freshProject = project();
        AtomicInteger freshMembers = new AtomicInteger();
        Fresh<String> freshMember = new Fresh<>(() -> {
            String member = "f" + freshMembers.incrementAndGet();
            addMember(freshProject, member);
            return member;
        });
        Steady.Result[] keyCommands = alternate("create + delete key",
                connection -> {
                    String member = freshMember.next();
                    return () -> keyCycle(connection, freshProject, member);
                },
                connection -> () -> keyCycle(connection, project, "long"));
        figures.ratio("key command, " + String.format("%,d", membershipEvents) + "-event membership vs fresh",
                keyCommands[1].meanMillis() / 2, "ms", keyCommands[0].meanMillis() / 2, "ms",
                keyCommands[0].meanMillis() / keyCommands[1].meanMillis(), 0.9);

        Fresh<HotProject> freshQuota = new Fresh<>(() -> {
            HotProject fresh = new HotProject(project(), hot.serviceKey());
            setQuota(fresh.project(), 2L * THREADS, 4L * THREADS);
            addMember(fresh.project(), "h0");
            return fresh;
        });
        Steady.Result[] quotaCommands = alternate("allocate + release",
                connection -> {
                    HotProject fresh = freshQuota.next();
                    return () -> pair(connection, fresh, "h0");
                },
                connection -> () -> pair(connection, hot, "h0"));
        figures.ratio("quota command, " + String.format("%,d", quotaEvents) + "-event project quota vs fresh",
                quotaCommands[1].meanMillis() / 2, "ms", quotaCommands[0].meanMillis() / 2, "ms",
                quotaCommands[0].meanMillis() / quotaCommands[1].meanMillis(), 0.9);
        heap("heap after history");
    }

    /** A fresh aggregate, made (untimed) by {@code make}, for every few units, so that it stays fresh. */
    private static final class Fresh<T> {

        private final Callable<T> make;
        private T current;
        private int units;

        Fresh(Callable<T> make) {
            this.make = make;
        }

        T next() throws Exception {
            if (current == null || units == UNITS_PER_FRESH_AGGREGATE) {
                current = make.call();
                units = 0;
            }
            units++;
            return current;
        }
    }

    /** A unit prepared (untimed: taking a new fresh aggregate), then timed. */
    @FunctionalInterface
    private interface Prepared {
        Timed prepare(HttpConnection connection) throws Exception;
    }

    @FunctionalInterface
    private interface Timed {
        void run() throws Exception;
    }

    /**
     * One client thread doing a unit on the fresh side, then one on the long side, again and again, so that both
     * meet the shared machine at the same moments; after the warm-up, for the measured time. Returns the fresh
     * side's result, then the long side's.
     */
    private Steady.Result[] alternate(String unitName, Prepared fresh, Prepared longHistory) throws Exception {
        Steady.Samples[] samples = {new Steady.Samples(), new Steady.Samples()};
        Prepared[] sides = {fresh, longHistory};
        try (HttpConnection connection = new HttpConnection(node.port())) {
            long from = System.nanoTime() + WARM_UP.toNanos();
            long until = from + MEASURED.toNanos();
            while (System.nanoTime() < until) {
                for (int side = 0; side < 2; side++) {
                    Timed unit = sides[side].prepare(connection);
                    long begin = System.nanoTime();
                    unit.run();
                    if (begin >= from) {
                        samples[side].add(System.nanoTime() - begin);
                    }
                }
            }
        }
        Steady.Result[] results = new Steady.Result[2];
        for (int side = 0; side < 2; side++) {
            long[] nanos = samples[side].stream().sorted().toArray();
            results[side] = new Steady.Result(nanos.length, MEASURED.toNanos() / 1e9, nanos);
            Figures.note("%s, %s history: %,d times, mean %s ms, p50 %s ms", unitName,
                    side == 0 ? "fresh" : "long", nanos.length, Figures.number(results[side].meanMillis()),
                    Figures.number(results[side].percentileMillis(50)));
        }
        return results;
    }

    private void keyCycle(HttpConnection connection, String project, String userId) throws IOException {
        String keys = "/api/v1/projects/" + project + "/keys";
        String keyId = field(expect(connection.post(keys, OPERATOR, Api.json("userId", userId, "name", "bench")),
                201), "keyId");
        expect(connection.delete(keys + "/" + keyId, OPERATOR), 204);
    }

    private void pair(HttpConnection connection, HotProject project, String userId) throws IOException {
        String allocationId = "q" + pairIds.incrementAndGet();
        expect(connection.post(project.allocations(), project.serviceKey(), allocation(allocationId, userId)), 201);
        expect(connection.delete(project.allocations() + "/" + allocationId, project.serviceKey()), 204);
    }

    /** Allocate + release pairs on the hot project from every thread until its quota has the events. */
    private long topUp(HotProject hot, long events) throws Exception {
        String quota = hot.project() + ":CCS";
        AtomicLong left = new AtomicLong(Math.max(0, (events - copies.count(quota) + 1) / 2));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String member = "h" + t;
                threads.add(pool.submit(() -> {
                    try (HttpConnection connection = new HttpConnection(node.port())) {
                        while (left.getAndDecrement() > 0) {
                            pair(connection, hot, member);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> thread : threads) {
                thread.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return copies.count(quota);
    }

    // ---- 4. verification

    private void verification() throws Exception {
        Figures.phase("4. Verification: " + CONNECTIONS + " connections, each request after the last is answered");
        String project = project();
        List<String> memberKeys = new ArrayList<>();
        for (int m = 0; m < 16; m++) {
            memberKeys.add(memberKey(project, "v" + m));
        }
        List<String> bodies = memberKeys.stream().map(key -> Api.json("key", key)).toList();
        String serviceKey = serviceKey();

        Steady.Result bare = connections("GET /actuator/health/liveness", (connection, n) ->
                expect(connection.get("/actuator/health/liveness", null), 200));
        Steady.Result me = connections("GET /api/v1/me (member key)", (connection, n) ->
                expectBody(connection.get("/api/v1/me", memberKeys.get(n % memberKeys.size())), "\"MEMBER\""));
        Steady.Result verify = connections("POST /api/v1/keys/verify (service key, member key)", (connection, n) ->
                expectBody(connection.post("/api/v1/keys/verify", serviceKey, bodies.get(n % bodies.size())),
                        "\"VALID\""));
        figures.ratio("GET /api/v1/me vs bare endpoint", me.perSecond(), "requests/s", bare.perSecond(),
                "requests/s", me.perSecond() / bare.perSecond(), 0.9);
        figures.added("GET /api/v1/me p99", me.percentileMillis(99), bare.percentileMillis(99), 1);
        figures.ratio("POST /api/v1/keys/verify vs bare endpoint", verify.perSecond(), "requests/s",
                bare.perSecond(), "requests/s", verify.perSecond() / bare.perSecond(), 0.9);
        figures.added("POST /api/v1/keys/verify p99", verify.percentileMillis(99), bare.percentileMillis(99), 1);
        heap("heap after verification");
    }

    /**
     * Verification with last-used tracking against verification without it: two fresh nodes on the same database,
     * one with keyquota.last-used.enabled=false, given the same warm-up with the same load (a node warmed on other
     * work compiles differently), then measured in turns, each node's best kept.
     */
    private void lastUsedCostsNothingNoticeable() throws Exception {
        Figures.phase("4b. Last used: verification on a node with last-used tracking vs one without it");
        String project = project();
        List<String> bodies = new ArrayList<>();
        for (int m = 0; m < 16; m++) {
            bodies.add(Api.json("key", memberKey(project, "u" + m)));
        }
        String serviceKey = serviceKey();
        Request verify = (connection, n) -> expectBody(connection.post("/api/v1/keys/verify", serviceKey,
                bodies.get(n % bodies.size())), "\"VALID\"");
        ServiceNode tracked = new ServiceNode("keyquota-tracked", directory);
        ServiceNode untracked = new ServiceNode("keyquota-untracked", directory);
        tracked.start(database, OPERATOR);
        untracked.start(database, OPERATOR, Map.of("KEYQUOTA_LAST_USED_ENABLED", "false"));
        try {
            tracked.awaitReady(Duration.ofSeconds(120));
            untracked.awaitReady(Duration.ofSeconds(120));
            Duration warmUp = JIT_WARM_UP.isZero() ? WARM_UP : JIT_WARM_UP;
            for (ServiceNode target : List.of(tracked, untracked)) {
                Steady.run(CONNECTIONS, warmUp, Duration.ofSeconds(1), thread -> httpTo(target, verify, thread));
            }
            double with = 0;
            double without = 0;
            for (int turn = 0; turn < 3; turn++) {
                with = Math.max(with, connectionsTo(tracked, "verify, last used tracked", verify).perSecond());
                without = Math.max(without, connectionsTo(untracked, "verify, nothing tracked", verify).perSecond());
            }
            figures.ratio("POST /api/v1/keys/verify with last-used tracking vs without", with, "requests/s",
                    without, "requests/s", with / without, 0.95);
        } finally {
            tracked.stop();
            untracked.stop();
        }
    }

    private Steady.Result connectionsTo(ServiceNode target, String what, Request request) throws Exception {
        Steady.Result result = Steady.run(CONNECTIONS, WARM_UP, MEASURED, thread -> httpTo(target, request, thread));
        Figures.note("%s: %,.0f requests/s, p50 %s ms, p99 %s ms", what, result.perSecond(),
                Figures.number(result.percentileMillis(50)), Figures.number(result.percentileMillis(99)));
        return result;
    }

    @FunctionalInterface
    private interface Request {
        void send(HttpConnection connection, int n) throws Exception;
    }

    /** The request from every connection; {@code n} counts a connection's requests, from its own offset. */
    private Steady.Result connections(String what, Request request) throws Exception {
        Steady.Result result = Steady.run(CONNECTIONS, WARM_UP, MEASURED, thread -> {
            int[] n = {thread};
            return http(connection -> request.send(connection, n[0]++));
        });
        Figures.note("%s: %,.0f requests/s, p50 %s ms, p99 %s ms", what, result.perSecond(),
                Figures.number(result.percentileMillis(50)), Figures.number(result.percentileMillis(99)));
        return result;
    }

    // ---- 5. replay

    private void replay() throws Exception {
        Figures.phase("5. Replay: every read model rebuilt from a store of " + String.format("%,d", REPLAY_EVENTS)
                + " events");
        CopiedEvents.Template template = replayTemplate();
        long have = storeSize();
        int blocks = (int) Math.max(0, (REPLAY_EVENTS - have + CopiedEvents.EVENTS_PER_BLOCK - 1)
                / CopiedEvents.EVENTS_PER_BLOCK);
        long appendStart = System.nanoTime();
        for (int from = 0; from < blocks; from += 500) {
            copies.appendBlocks(template, from, Math.min(blocks, from + 500));
        }
        copies.vacuum();
        long events = storeSize();
        Figures.note("appended %,d events (%,d projects of %d members with keys and allocations, copies of one"
                        + " made over HTTP) in %.1f s: %,d events in the store", events - have, blocks,
                CopiedEvents.MEMBERS, (System.nanoTime() - appendStart) / 1e9, events);
        double caughtUp = awaitAuditCaughtUp(Duration.ofMinutes(30));
        Figures.note("the live audit processor caught up with them in %.1f s (%,.0f events/s)", caughtUp,
                (events - have) / caughtUp);
        double scan = jdbc.storeScan();
        Figures.note("baseline: plain JDBC read of the whole store in order, payloads included: %,.0f events/s",
                scan);

        double slowest = Double.MAX_VALUE;
        String slowestName = null;
        for (JsonNode projection : projections()) {
            String name = projection.path("name").asString();
            long start = System.nanoTime();
            expect(node.send("POST", "/api/v1/admin/projections/" + name + "/replay", OPERATOR, null), 202);
            JsonNode done = awaitProjection(name, status -> !status.path("replaying").asBoolean(),
                    Duration.ofMinutes(30), Duration.ofMillis(200));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(done.path("failure").isMissingNode()).as("rebuild of %s: %s", name, done).isTrue();
            double rate = events / seconds;
            Figures.note("%s rebuilt in %.1f s", name, seconds);
            figures.rate("replay " + name, rate, "events/s", scan, "events/s", 20_000);
            if (rate < slowest) {
                slowest = rate;
                slowestName = name;
            }
        }
        figures.under("1,000,000 events replayed at the slowest rate (" + slowestName + ")", 1_000_000 / slowest,
                60);
        assertRebuiltFromEveryEvent(events);
        heap("heap after replay");
    }

    /** The rebuilt read models hold a row for every event that makes one, the copies included. */
    private void assertRebuiltFromEveryEvent(long events) {
        assertThat(count("SELECT count(*) FROM audit_entry")).as("audit entries").isEqualTo(events);
        assertThat(count("SELECT count(*) FROM project")).as("projects")
                .isEqualTo(eventsOfType("keyquota.domain.project.ProjectCreated"));
        assertThat(count("SELECT count(*) FROM project_member")).as("members")
                .isEqualTo(eventsOfType("keyquota.domain.membership.MemberJoined"));
        assertThat(count("SELECT count(*) FROM api_key WHERE type = 'MEMBER'")).as("member keys")
                .isEqualTo(eventsOfType(CopiedEvents.KEY_CREATED));
        Figures.note("the rebuilt read models hold every event's row: %,d audit entries, %,d projects, %,d members,"
                        + " %,d member keys", events, count("SELECT count(*) FROM project"),
                count("SELECT count(*) FROM project_member"),
                count("SELECT count(*) FROM api_key WHERE type = 'MEMBER'"));
    }

    private long eventsOfType(String payloadType) {
        return Long.parseLong(database.column("SELECT count(*) FROM domain_event_entry WHERE payload_type = ?",
                payloadType).get(0));
    }

    private long count(String sql) {
        return Long.parseLong(database.column(sql).get(0));
    }

    /** A project whose events every block of the replay store copies: each kind of event once. */
    private CopiedEvents.Template replayTemplate() throws IOException, SQLException {
        String project = "RTPLPROJ";
        String user = "rtplmember";
        expect(node.send("POST", "/api/v1/projects", OPERATOR, Api.json("projectId", project, "name", "Replay")),
                201);
        addMember(project, user);
        setQuota(project, 1000, 1000);
        String keys = "/api/v1/projects/" + project + "/keys";
        String keyId = expect(node.send("POST", keys, OPERATOR, Api.json("userId", user, "name", "replay")), 201)
                .text("keyId");
        expect(node.send("POST", keys + "/" + keyId + "/extend", OPERATOR, Api.json("days", 1)), 200);
        expect(node.send("DELETE", keys + "/" + keyId, OPERATOR, null), 204);
        String allocations = "/api/v1/projects/" + project + "/quotas/CCS/allocations";
        expect(node.send("POST", allocations, OPERATOR, allocation("rtplalloc", user)), 201);
        expect(node.send("DELETE", allocations + "/rtplalloc", OPERATOR, null), 204);
        return copies.template(project, user, keyId, "rtplalloc");
    }

    // ---- 7. usage history

    /**
     * A project and five members with a change in every hour of 401 days, written straight into the usage_hour
     * read model (as many events through the API would take hours: the node runs on the real clock), then the
     * 400-day answers, one request at a time. The contract's goal: a 400-day HOUR series under 200 ms.
     */
    private void usageHistory() throws Exception {
        Figures.phase("7. Usage history: 400-day answers over a project whose usage changed every hour");
        String project = project();
        List<String> members = List.of("uh1", "uh2", "uh3", "uh4", "uh5");
        for (String member : members) {
            addMember(project, member);
        }
        long fillStart = System.nanoTime();
        database.execute("""
                INSERT INTO usage_hour (project_id, service, user_id, resource, hour, usage_end, peak, quota_end,
                                        usage_seconds, changed_at)
                SELECT '%s', 'CCS', u.user_id, r.resource, h.hour, v.usage, v.usage + 1, 100, v.usage * 1800,
                       h.hour + interval '30 minutes'
                FROM unnest(ARRAY['', 'uh1', 'uh2', 'uh3', 'uh4', 'uh5']) AS u(user_id)
                CROSS JOIN unnest(ARRAY['cpu', 'gpu', 'memory']) AS r(resource)
                CROSS JOIN generate_series(date_trunc('hour', now(), 'UTC') - interval '401 days',
                                           date_trunc('hour', now(), 'UTC'), interval '1 hour') AS h(hour)
                CROSS JOIN LATERAL (SELECT (abs(hashtext(u.user_id || r.resource || h.hour::text)) %% 50)::bigint
                                    AS usage) v""".formatted(project));
        database.execute("ANALYZE usage_hour");
        Figures.note("usage_hour: %,d rows for project %s, filled in %.1f s",
                count("SELECT count(*) FROM usage_hour WHERE project_id = '" + project + "'"), project,
                (System.nanoTime() - fillStart) / 1e9);
        String quota = "/api/v1/projects/" + project + "/quotas/CCS";
        Instant to = Instant.now();
        String range = "from=" + to.minus(Duration.ofDays(400)) + "&to=" + to;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        timedQuery("GET history, 400 days, HOUR, the project", quota + "/history?" + range + "&step=HOUR", 200);
        timedQuery("GET history, 400 days, HOUR, a member", quota + "/history?" + range + "&step=HOUR&userId=uh3",
                200);
        timedQuery("GET history, 400 days, DAY, the project", quota + "/history?" + range + "&step=DAY", 200);
        timedQuery("GET usage.csv, 400 days, 5 members", quota + "/usage.csv?from=" + today.minusDays(399) + "&to="
                + today.plusDays(1), 1000);
    }

    /** The query asked one request at a time: 30 unmeasured (the node is compiling), then 100 measured. */
    private void timedQuery(String what, String path, double goalMillis) throws IOException {
        for (int i = 0; i < 30; i++) {
            expect(node.send("GET", path, OPERATOR, null), 200);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long start = System.nanoTime();
            expect(node.send("GET", path, OPERATOR, null), 200);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        double p50 = millis.get(49);
        double p99 = millis.get(98);
        Figures.note("%s: p50 %s ms, p99 %s ms", what, Figures.number(p50), Figures.number(p99));
        figures.check(what + " p99", Figures.number(p99) + " ms (p50 " + Figures.number(p50) + " ms)",
                Figures.number(goalMillis) + " ms", "ratio " + Figures.number(p99 / goalMillis),
                "< " + Figures.number(goalMillis) + " ms", p99 < goalMillis);
    }

    // ---- 6. steady heap

    /**
     * A mixed load (key cycles, allocations and releases, identity reads) for {@link #SOAK}, with the live heap
     * (after a full collection) taken every minute: a leak shows as a live heap that keeps growing.
     */
    private void steadyHeap() throws Exception {
        Figures.phase("6. Steady heap: " + SOAK.toMinutes() + " minutes of mixed load from " + THREADS
                + " threads, the live heap every minute");
        List<Long> live = new ArrayList<>();
        long highest = 0;
        ExecutorService sampler = Executors.newSingleThreadExecutor();
        try {
            // a little longer than the sampling, so that the last sample is taken under the load too
            Future<Steady.Result> load = sampler.submit(() -> mixedLoad("s", SOAK.plusSeconds(30)));
            long minutes = SOAK.toMinutes();
            for (long minute = 1; minute <= minutes; minute++) {
                Thread.sleep(Duration.ofMinutes(1).toMillis());
                highest = Math.max(highest, node.heapUsed(false));
                live.add(node.heapUsed(true));
                Figures.note("minute %d: live heap %s MiB", minute, Figures.number(live.get(live.size() - 1)
                        / 1024.0 / 1024.0));
            }
            Steady.Result result = load.get(SOAK.toMinutes() + 5, TimeUnit.MINUTES);
            Figures.note("%,d mixed units (key cycle, allocation pair, identity read) in %d minutes", result.units(),
                    minutes);
        } finally {
            sampler.shutdownNow();
        }
        figures.heap("highest heap during the mixed load", highest, live.stream().max(Long::compare).orElse(0L),
                HEAP_LIMIT);
        // steady: what is live in the last third of the load is within a fifth of what was live in the first
        // third (a third of the samples, not one: under load each sample also holds the requests in flight)
        int third = Math.max(1, live.size() / 3);
        double first = live.subList(0, third).stream().mapToLong(Long::longValue).average().orElseThrow();
        double last = live.subList(live.size() - third, live.size()).stream().mapToLong(Long::longValue).average()
                .orElseThrow();
        double growth = last / first;
        figures.check("live heap, last third of the load vs first", Figures.number(last / 1024 / 1024) + " MiB",
                Figures.number(first / 1024 / 1024) + " MiB",
                "ratio " + Figures.number(growth), "<= 1.2", growth <= 1.2);
    }

    /** Key cycles, allocation pairs and identity reads from every thread, in a project of their own. */
    private Steady.Result mixedLoad(String prefix, Duration duration) throws Exception {
        HotProject mixed = new HotProject(project(), serviceKey());
        setQuota(mixed.project(), 2L * THREADS, 4L * THREADS);
        List<String> memberKeys = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            memberKeys.add(memberKey(mixed.project(), prefix + t));
        }
        String keys = "/api/v1/projects/" + mixed.project() + "/keys";
        return Steady.run(THREADS, Duration.ZERO, duration, thread -> http(connection -> {
            String key = memberKeys.get(thread);
            String keyId = field(expect(connection.post(keys, key, Api.json("name", "mixed")), 201), "keyId");
            expect(connection.delete(keys + "/" + keyId, key), 204);
            pair(connection, mixed, prefix + thread);
            expectBody(connection.get("/api/v1/me", key), "\"MEMBER\"");
        }));
    }

    private void warmUp() throws Exception {
        if (JIT_WARM_UP.isZero()) {
            return;
        }
        Figures.phase("0. Warm-up: " + JIT_WARM_UP.toMinutes() + " minutes of mixed load (no figures)");
        Steady.Result result = mixedLoad("w", JIT_WARM_UP);
        Figures.note("%,d mixed units, %,.0f a second", result.units(), result.perSecond());
    }

    /** What PostgreSQL spent its time on since the last call (pg_stat_statements): the busiest statements. */
    private void statements(String since) {
        List<String> busiest = database.column("""
                SELECT format('%s calls, %s ms in all, %s ms each: %s', calls, round(total_exec_time::numeric),
                              round(mean_exec_time::numeric, 3), left(regexp_replace(query, '\\s+', ' ', 'g'), 150))
                FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                ORDER BY total_exec_time DESC LIMIT 8""");
        Figures.note("PostgreSQL's busiest statements in %s (pg_stat_statements):", since);
        busiest.forEach(statement -> Figures.note("  %s", statement));
        // Each round trip costs both processes CPU, whatever it runs: the count per stored event, the baselines'
        // own statements left out, tells what a command costs the database better than the time they ran.
        List<String> perEvent = database.column("""
                WITH s AS (SELECT calls, regexp_replace(query, '\\s+', ' ', 'g') AS query FROM pg_stat_statements
                           WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND query NOT LIKE '%bench.%' AND query NOT LIKE '%pg_stat_statements%'),
                     e AS (SELECT nullif(sum(calls), 0) AS events FROM s
                           WHERE query LIKE 'INSERT INTO domain_event_entry%')
                SELECT line FROM (
                    SELECT calls / events AS n, format('%s a stored event: %s', round(calls / events, 2),
                                                       left(query, 110)) AS line
                    FROM s, e WHERE calls / events >= 0.05
                    UNION ALL
                    SELECT 1000, format('%s statements a stored event in all', round(sum(calls) / max(events), 1))
                    FROM s, e) lines
                ORDER BY n DESC""");
        Figures.note("PostgreSQL's statements in %s per event stored:", since);
        perEvent.forEach(statement -> Figures.note("  %s", statement));
        forgetStatements();
    }

    private void forgetStatements() {
        database.execute("SELECT pg_stat_statements_reset()");
    }

    // ---- the service: setup, status, heap

    private String project() throws IOException {
        String projectId = "B" + projects.incrementAndGet();
        expect(node.send("POST", "/api/v1/projects", OPERATOR, Api.json("projectId", projectId, "name", projectId)),
                201);
        return projectId;
    }

    private void addMember(String project, String userId) throws IOException {
        expect(node.send("PUT", "/api/v1/projects/" + project + "/members/" + userId, OPERATOR,
                Api.json("role", "TENANT_USER")), 200);
    }

    /** A new member of the project, returning the secret of a key of its own. */
    private String memberKey(String project, String userId) throws IOException {
        addMember(project, userId);
        return expect(node.send("POST", "/api/v1/projects/" + project + "/keys", OPERATOR,
                Api.json("userId", userId, "name", "own")), 201).text("key");
    }

    private String serviceKey() throws IOException {
        return expect(node.send("POST", "/api/v1/service-keys", OPERATOR,
                Api.json("name", "bench", "service", "CCS")), 201).text("key");
    }

    private void setQuota(String project, long cpu, long memory) throws IOException {
        expect(node.send("PUT", "/api/v1/projects/" + project + "/quotas/CCS", OPERATOR,
                Api.json("quota", Map.of("cpu", cpu, "gpu", 0, "memory", memory))), 200);
    }

    private static String allocation(String allocationId, String userId) {
        return Api.json("allocationId", allocationId, "userId", userId,
                "resources", Map.of("cpu", 1, "memory", 2));
    }

    private List<JsonNode> projections() throws IOException {
        return expect(node.send("GET", "/api/v1/admin/projections", OPERATOR, null), 200).body()
                .path("projections").values().stream().toList();
    }

    private JsonNode awaitProjection(String name, Predicate<JsonNode> condition,
                                     Duration atMost, Duration poll) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            JsonNode status = projections().stream().filter(p -> p.path("name").asString().equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError("no read model " + name));
            if (condition.test(status)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not there within " + atMost + ": " + status);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /**
     * Waits until the audit processor has handled every event in the store, so that it does not take the cores
     * from the next measurement; returns the seconds it took.
     */
    private double awaitAuditCaughtUp(Duration atMost) throws Exception {
        long start = System.nanoTime();
        awaitProjection("audit", status -> status.path("position").asLong() >= status.path("headPosition").asLong(),
                atMost, Duration.ofMillis(250));
        return (System.nanoTime() - start) / 1e9;
    }

    private void heap(String name) throws Exception {
        long used = node.heapUsed(false);
        figures.heap(name, used, node.heapUsed(true), HEAP_LIMIT);
    }

    private long storeSize() {
        return count("SELECT count(*) FROM domain_event_entry");
    }

    /** The aggregate's events by type (simple name). */
    private Map<String, Long> eventTypes(String aggregateId) {
        Map<String, Long> types = new TreeMap<>();
        for (String row : database.column("SELECT payload_type || ' ' || count(*) FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? GROUP BY payload_type", aggregateId)) {
            String[] typeAndCount = row.split(" ");
            types.put(typeAndCount[0].substring(typeAndCount[0].lastIndexOf('.') + 1),
                    Long.parseLong(typeAndCount[1]));
        }
        return types;
    }

    private String setting(String name) {
        return database.column("SELECT current_setting(?)", name).get(0);
    }

    // ---- HTTP

    @FunctionalInterface
    private interface Unit {
        void once(HttpConnection connection) throws Exception;
    }

    /** A client thread's work over a connection of its own. */
    private Steady.Work http(Unit unit) {
        return http(node, unit);
    }

    /** The request from one client thread to this node; {@code n} counts its requests, from its own offset. */
    private Steady.Work httpTo(ServiceNode target, Request request, int thread) {
        int[] n = {thread};
        return http(target, connection -> request.send(connection, n[0]++));
    }

    private Steady.Work http(ServiceNode target, Unit unit) {
        HttpConnection connection = new HttpConnection(target.port());
        return new Steady.Work() {
            @Override
            public void once() throws Exception {
                unit.once(connection);
            }

            @Override
            public void close() throws IOException {
                connection.close();
            }
        };
    }

    private static HttpConnection.Answer expect(HttpConnection.Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("expected " + status + ", got " + answer.status() + " " + answer.body());
        }
        return answer;
    }

    private static HttpConnection.Answer expectBody(HttpConnection.Answer answer, String fragment) {
        if (answer.status() != 200 || !answer.body().contains(fragment)) {
            throw new AssertionError("expected 200 with " + fragment + ", got " + answer.status() + " "
                    + answer.body());
        }
        return answer;
    }

    private static Api.Response expect(Api.Response response, int status) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        return response;
    }

    private static String field(HttpConnection.Answer answer, String name) {
        return JSON.readTree(answer.body()).path(name).asString();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
