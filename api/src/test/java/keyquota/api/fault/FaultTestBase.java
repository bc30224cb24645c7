package keyquota.api.fault;

import keyquota.api.support.Api;
import keyquota.api.support.AuditPages;
import keyquota.api.support.node.NodeDatabase;
import keyquota.api.support.node.ServiceNode;
import keyquota.application.secret.KeySecret;
import keyquota.domain.quota.ProjectQuota;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static keyquota.api.fault.Ledger.inline;
import static keyquota.api.fault.Ledger.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The base of the fault tests: one embedded PostgreSQL and real service processes on it (the packaged jar, as
 * it is deployed), a project with members, keys, a CCS quota and a CCS service key, and the checks of what must
 * have survived a fault. The processes' output is in target/fault/&lt;test&gt;/; a failing test prints the
 * end of each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FaultTestBase.PrintLogsOnFailure.class)
abstract class FaultTestBase {

    static final String OPERATOR = KeySecret.generate(new SecureRandom()).reveal();
    static final String CCS = Load.SERVICE;
    static final Duration NODE_START = Duration.ofSeconds(120);
    static final Duration AUDIT_WAIT = Duration.ofSeconds(30);

    protected Path directory;
    protected NodeDatabase database;
    protected final List<ServiceNode> nodes = new ArrayList<>();

    /** Starts the database, then the nodes one after the other (so they do not race to migrate the schema). */
    void startCluster(String... names) throws Exception {
        startCluster(Map.of(), names);
    }

    /** As {@link #startCluster(String...)}, every node with these settings (environment variables). */
    void startCluster(Map<String, String> settings, String... names) throws Exception {
        directory = Path.of("target", "fault", getClass().getSimpleName()).toAbsolutePath();
        deleteRecursively(directory);
        Files.createDirectories(directory);
        database = new NodeDatabase(directory);
        database.start();
        for (String name : names) {
            startNode(name, database, settings);
        }
    }

    /**
     * One more node, ready, stopped with the others after the class.
     *
     * @param database null for the embedded PostgreSQL of the node's own
     */
    ServiceNode startNode(String name, NodeDatabase database, Map<String, String> settings) throws Exception {
        ServiceNode node = new ServiceNode(name, directory);
        nodes.add(node);
        node.start(database, OPERATOR, settings);
        node.awaitReady(NODE_START);
        return node;
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (ServiceNode node : nodes) {
            node.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Prints the end of every node's log (and PostgreSQL's) when a test fails, so CI output shows why. */
    static class PrintLogsOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            context.getTestInstance().filter(FaultTestBase.class::isInstance).map(FaultTestBase.class::cast)
                    .ifPresent(FaultTestBase::printLogs);
        }
    }

    void printLogs() {
        nodes.forEach(node -> System.out.println(node.tail(60)));
        if (database != null) {
            System.out.println(ServiceNode.tail(database.log(), 30));
        }
    }

    /** The project the load works on, as the setup made it. */
    record Setup(String project, String serviceKey, Map<String, List<String>> keys) {
    }

    /**
     * A project with a member (tenant user) per load thread, with a key each, a CCS project quota with room for
     * everything the load will hold, and a CCS service key. The keys are acknowledged creations like any other.
     */
    Setup setUp(ServiceNode node, Ledger ledger, int threads) throws IOException {
        String project = "F" + Long.toString(System.currentTimeMillis(), 36);
        expect(node, "POST", "/api/v1/projects", OPERATOR, Api.json("projectId", project, "name", "Fault test"), 201);
        Map<String, List<String>> keys = new HashMap<>();
        for (int t = 0; t < threads; t++) {
            String member = Load.member(t);
            expect(node, "PUT", "/api/v1/projects/" + project + "/members/" + member, OPERATOR,
                    Api.json("role", "TENANT_USER"), 200);
            String keyId = expect(node, "POST", "/api/v1/projects/" + project + "/keys", OPERATOR,
                    Api.json("userId", member, "name", "first"), 201).text("keyId");
            ledger.keys.put(keyId, member);
            keys.put(member, List.of(keyId));
        }
        expect(node, "PUT", "/api/v1/projects/" + project + "/quotas/" + CCS, OPERATOR,
                Api.json("quota", Map.of("cpu", 1000, "gpu", 100, "memory", 1000)), 200);
        String serviceKey = expect(node, "POST", "/api/v1/service-keys", OPERATOR,
                Api.json("name", "CCS service", "service", CCS), 201).text("key");
        return new Setup(project, serviceKey, keys);
    }

    static Api.Response expect(ServiceNode node, String method, String path, String key, String json, int status)
            throws IOException {
        Api.Response response = node.send(method, path, key, json);
        assertThat(response.status()).as("%s %s on %s: %s", method, path, node, response.raw()).isEqualTo(status);
        return response;
    }

    /**
     * Settles every command whose answer was lost, on a node that runs: a deletion or release is sent again (both
     * are final either way), an allocation is sent again with the same id and body (idempotent: 200 says it
     * existed, 201 that it does now). A release sent again may find its allocation gone: a quota remembers only
     * its last {@value ProjectQuota#RELEASED_ALLOCATIONS_REMEMBERED} releases, and a survivor under load makes more
     * than that before this runs. Afterwards the ledger says exactly what the service must hold, and the checks of
     * what it holds tell a release that never happened.
     */
    void settleUnknowns(ServiceNode node, Ledger ledger, String project, String serviceKey) {
        List<String> wrong = new ArrayList<>();
        for (String keyId : ledger.unknownDeletions) {
            Api.Response again = ledger.check(node, "DELETE", "/api/v1/projects/" + project + "/keys/" + keyId,
                    OPERATOR, null);
            if (again.status() == 204 || (again.status() == 404 && "KEY_NOT_FOUND".equals(again.code()))) {
                ledger.deletedKeys.add(keyId);
            } else {
                wrong.add("delete key " + keyId + " again: " + again.status() + " "
                        + Ledger.abbreviate(again.raw()));
            }
        }
        String allocations = "/api/v1/projects/" + project + "/quotas/" + CCS + "/allocations";
        ledger.unknownAllocations.forEach((allocationId, allocation) -> {
            Api.Response again = ledger.check(node, "POST", allocations, serviceKey,
                    Load.body(allocationId, allocation));
            if (again.status() == 200 || again.status() == 201) {
                ledger.allocations.put(allocationId, allocation);
            } else {
                wrong.add("allocate " + allocationId + " again: " + again.status() + " "
                        + Ledger.abbreviate(again.raw()));
            }
        });
        for (String allocationId : ledger.unknownReleases) {
            Api.Response again = ledger.check(node, "DELETE", allocations + "/" + allocationId, serviceKey, null);
            if (again.status() == 204 || (again.status() == 404 && "ALLOCATION_NOT_FOUND".equals(again.code()))) {
                ledger.releasedAllocations.add(allocationId);
            } else {
                wrong.add("release " + allocationId + " again: " + again.status() + " "
                        + Ledger.abbreviate(again.raw()));
            }
        }
        assertNone(wrong, "commands sent again after their answer was lost: %s");
    }

    /**
     * Fails when there are any of the items, naming at most 30 of them (the format's last %s) and how many there
     * are: a long list in full would bury the message.
     */
    static void assertNone(Collection<?> items, String format, Object... arguments) {
        if (!items.isEmpty()) {
            Object[] all = Arrays.copyOf(arguments, arguments.length + 1);
            all[arguments.length] = list(items);
            throw new AssertionError(String.format(format, all));
        }
    }

    /** No answer of any node, ever, was a 500 (or any other 5xx the test did not allow). */
    static void assertNoServerErrors(Ledger ledger) {
        List<Ledger.Answer> errors = ledger.answers(answer -> answer.status() >= 500 && !answer.isUnavailable());
        assertNone(errors, "answers with a server error status (the contract allows none): %s");
    }

    /** No answer the contract does not allow for the command at that moment ({@code why} says what is allowed). */
    static void assertNoUnexpectedAnswers(Ledger ledger, String why) {
        // server errors have an assertion of their own
        List<Ledger.Answer> unexpected = ledger.unexpected().stream().filter(answer -> answer.status() < 500
                || answer.isUnavailable()).toList();
        assertNone(unexpected, "answers the contract does not allow here (%s): %s", why);
    }

    /** Each acknowledged key is there unless its deletion was acknowledged; each acknowledged deletion is 404. */
    static void assertKeys(ServiceNode node, Ledger ledger, String project) {
        List<String> wrong = new ArrayList<>();
        ledger.keys.forEach((keyId, owner) -> {
            boolean deleted = ledger.deletedKeys.contains(keyId);
            Api.Response key = ledger.check(node, "GET", "/api/v1/projects/" + project + "/keys/" + keyId, OPERATOR,
                    null);
            boolean right = deleted
                    ? key.status() == 404 && "KEY_NOT_FOUND".equals(key.code())
                    : key.status() == 200 && keyId.equals(key.text("keyId")) && owner.equals(key.text("userId"));
            if (!right) {
                wrong.add("key " + keyId + " of " + owner + (deleted ? ", deletion acknowledged" : "")
                        + ": GET answered " + key.status() + " " + Ledger.abbreviate(key.raw()));
            }
        });
        assertNone(wrong, "acknowledged key creations and deletions on %s: %s", node);
    }

    /** The project's and each member's CCS usage is exactly what the live acknowledged allocations add up to. */
    static void assertUsage(ServiceNode node, Ledger ledger, String project) {
        Map<String, Ledger.Allocation> live = ledger.liveAllocations();
        long cpu = live.values().stream().mapToLong(Ledger.Allocation::cpu).sum();
        Map<String, Long> byMember = live.values().stream().collect(Collectors.groupingBy(
                Ledger.Allocation::userId, TreeMap::new, Collectors.summingLong(Ledger.Allocation::cpu)));
        Api.Response view = ledger.check(node, "GET", "/api/v1/projects/" + project + "/quotas/" + CCS, OPERATOR,
                null);
        assertThat(view.status()).as(view.raw()).isEqualTo(200);
        JsonNode usage = view.body().path("project").path("usage");
        assertThat(Map.of("cpu", usage.path("cpu").asLong(-1), "gpu", usage.path("gpu").asLong(-1),
                "memory", usage.path("memory").asLong(-1)))
                .as("project usage on %s after %d live acknowledged allocations (%s)", node, live.size(),
                        ledger.summary())
                .isEqualTo(Map.of("cpu", cpu, "gpu", 0L, "memory", 0L));
        Map<String, Long> shown = new TreeMap<>();
        for (JsonNode row : view.body().path("members").values()) {
            long used = row.path("usage").path("cpu").asLong(-1);
            if (used != 0) {
                shown.put(row.path("userId").asString(), used);
            }
        }
        assertThat(shown).as("members' cpu usage on %s", node).isEqualTo(byMember);
    }

    /**
     * The event store holds exactly one event for every acknowledged command (and for every lost answer settled
     * since), and none for a command refused while the database was certainly away.
     */
    void assertEventStore(Ledger ledger, String project) {
        Map<String, Long> created = eventCounts("keyquota.domain.key.KeyCreated", "keyId", project);
        Map<String, Long> deleted = eventCounts("keyquota.domain.key.KeyDeleted", "keyId", project);
        Map<String, Long> allocated = eventCounts("keyquota.domain.quota.UsageAllocated", "allocationId", project);
        Map<String, Long> released = eventCounts("keyquota.domain.quota.UsageReleased", "allocationId", project);
        List<String> wrong = new ArrayList<>();
        expectOnce(wrong, "KeyCreated", ledger.keys.keySet(), created);
        expectOnce(wrong, "KeyDeleted", ledger.deletedKeys, deleted);
        expectOnce(wrong, "UsageAllocated", ledger.allocations.keySet(), allocated);
        expectOnce(wrong, "UsageReleased", ledger.releasedAllocations, released);
        expectNone(wrong, "KeyDeleted", ledger.refusedDeletions, ledger.deletedKeys, deleted);
        expectNone(wrong, "UsageAllocated", ledger.refusedAllocations, Set.of(), allocated);
        expectNone(wrong, "UsageReleased", ledger.refusedReleases, ledger.releasedAllocations, released);
        assertNone(wrong, "events in domain_event_entry for the commands of the load (%s): %s",
                ledger.summary());
    }

    private Map<String, Long> eventCounts(String payloadType, String field, String project) {
        return database.column("""
                        SELECT convert_from(payload, 'UTF8')::jsonb ->> ? FROM domain_event_entry
                        WHERE payload_type = ? AND convert_from(payload, 'UTF8')::jsonb ->> 'projectId' = ?""",
                        field, payloadType, project)
                .stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static void expectOnce(List<String> wrong, String type, Set<String> ids, Map<String, Long> events) {
        for (String id : new TreeSet<>(ids)) {
            long count = events.getOrDefault(id, 0L);
            if (count != 1) {
                wrong.add(count + " " + type + " events for acknowledged " + id);
            }
        }
    }

    private static void expectNone(List<String> wrong, String type, Set<String> refused, Set<String> doneLater,
                                   Map<String, Long> events) {
        for (String id : new TreeSet<>(refused)) {
            if (!doneLater.contains(id) && events.containsKey(id)) {
                wrong.add(events.get(id) + " " + type + " events for " + id + ", refused (nothing was changed)");
            }
        }
    }

    /** The audit entry every acknowledged command must have: its type and subject. */
    static Set<String> expectedAuditEntries(Ledger ledger) {
        Set<String> expected = new TreeSet<>();
        ledger.keys.keySet().forEach(keyId -> expected.add("KeyCreated key/" + keyId));
        ledger.deletedKeys.forEach(keyId -> expected.add("KeyDeleted key/" + keyId));
        ledger.allocations.keySet().forEach(id -> expected.add("UsageAllocated allocation/" + CCS + "/" + id));
        ledger.releasedAllocations.forEach(id -> expected.add("UsageReleased allocation/" + CCS + "/" + id));
        return expected;
    }

    /**
     * Waits (at most 30 s) until the audit log, read page by page through nextCursor, has an entry for every
     * acknowledged command; every read must also page cleanly (positions strictly increasing). With
     * {@code wholeStore} the query must select the whole log, and it must then hold an entry at the position of
     * every event in the store.
     */
    void awaitAuditComplete(ServiceNode node, Ledger ledger, String query, boolean wholeStore) {
        Set<String> expected = expectedAuditEntries(ledger);
        await().atMost(AUDIT_WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<JsonNode> entries = auditEntries(node, ledger, query);
            Set<String> present = entries.stream()
                    .map(entry -> entry.path("type").asString() + " " + entry.path("subject").asString())
                    .collect(Collectors.toSet());
            List<String> missing = expected.stream().filter(entry -> !present.contains(entry)).toList();
            Map<String, Long> missingByType = missing.stream().collect(Collectors.groupingBy(
                    entry -> entry.substring(0, entry.indexOf(' ')), TreeMap::new, Collectors.counting()));
            assertNone(missing, "audit entries (GET /api/v1/audit?%s on %s) missing for acknowledged commands"
                    + " (%d expected, %d entries read): %s; audit processor: %s; gaps in the store's global_index:"
                    + " %s; missing %s", query, node, expected.size(), entries.size(), missingByType,
                    auditProcessor(node, ledger), inline(storeGaps()));
            if (wholeStore) {
                Set<Long> positions = positions(entries);
                List<String> unaudited = database.column("""
                                SELECT global_index || ' ' || payload_type FROM domain_event_entry
                                ORDER BY global_index""").stream()
                        .filter(event -> !positions.contains(Long.valueOf(event.substring(0, event.indexOf(' ')))))
                        .toList();
                assertNone(unaudited, "events in the store with no audit entry at their position: %s");
            }
        });
    }

    /** Every entry the query selects, following nextCursor; positions must strictly increase across pages. */
    static List<JsonNode> auditEntries(ServiceNode node, Ledger ledger, String query) {
        return AuditPages.all(query, path -> ledger.check(node, "GET", path, OPERATOR, null));
    }

    /** How far the audit processor has got, as the node reports it and as its token stands in the database. */
    String auditProcessor(ServiceNode node, Ledger ledger) {
        Api.Response projections = ledger.check(node, "GET", "/api/v1/admin/projections", OPERATOR, null);
        String tokens = String.join(", ", database.column(
                "SELECT segment || ' ' || coalesce(owner, '-') || ' ' || convert_from(token, 'UTF8') FROM token_entry"
                        + " WHERE processor_name = 'audit'"));
        String head = String.join("", database.column("SELECT max(global_index) FROM domain_event_entry"));
        return "projections " + Ledger.abbreviate(projections.raw()) + ", token " + Ledger.abbreviate(tokens)
                + ", store head " + head;
    }

    /** Global indexes the sequence handed out that hold no event (a rolled-back or lost append), up to the head. */
    List<Long> storeGaps() {
        List<Long> indexes = database.column("SELECT global_index FROM domain_event_entry ORDER BY global_index")
                .stream().map(Long::valueOf).toList();
        List<Long> gaps = new ArrayList<>();
        long expected = indexes.isEmpty() ? 0 : indexes.get(0);
        for (long index : indexes) {
            for (long gap = expected; gap < index; gap++) {
                gaps.add(gap);
            }
            expected = index + 1;
        }
        return gaps;
    }

    /** The longest stretch (ms) within [from, to] in which no request sent to the node was acknowledged. */
    static long longestSilence(Ledger ledger, String node, long from, long to) {
        List<Long> acks = new ArrayList<>(ledger.answers(answer -> answer.op() != null && answer.acknowledged()
                        && answer.node().equals(node) && answer.endedAt() >= from && answer.endedAt() <= to)
                .stream().map(Ledger.Answer::endedAt).sorted().toList());
        long longest = 0;
        long previous = from;
        for (long ack : acks) {
            longest = Math.max(longest, ack - previous);
            previous = ack;
        }
        return Math.max(longest, to - previous);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    static Set<Long> positions(List<JsonNode> entries) {
        Set<Long> positions = new HashSet<>();
        entries.forEach(entry -> positions.add(entry.path("position").asLong()));
        return positions;
    }
}
