package keyquota.api.audit;

import keyquota.api.support.Api;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay: after a scripted run of several hundred mixed commands, every read model rebuilt from the event store
 * is row for row the live one; the operator sees how far each read model is; queries keep answering meanwhile.
 */
class ReplayTest extends AuditTestBase {

    /** Each read model's tables and their primary keys, as ReadModels and the migrations name them. */
    private static final Map<String, Map<String, String>> READ_MODELS = new LinkedHashMap<>();

    static {
        READ_MODELS.put("projects", Map.of("project", "project_id"));
        READ_MODELS.put("members", Map.of("project_member", "project_id, user_id"));
        READ_MODELS.put("keys", Map.of("api_key", "key_id"));
        READ_MODELS.put("quotas", Map.of("quota_project", "project_id, service, resource",
                "quota_member", "project_id, service, user_id, resource"));
        READ_MODELS.put("usage_history", Map.of("usage_hour", "project_id, service, user_id, resource, hour"));
        READ_MODELS.put("quota_requests", Map.of("quota_request", "request_id"));
        READ_MODELS.put("audit", Map.of("audit_entry", "position"));
    }

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private DataSource dataSource;

    private List<String> rows(String table, String primaryKey) {
        return jdbc.sql("SELECT t::text FROM " + table + " t ORDER BY " + primaryKey).query(String.class).list();
    }

    private Map<String, List<String>> snapshot() {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        READ_MODELS.values().forEach(model -> model.forEach((table, key) -> tables.put(table, rows(table, key))));
        return tables;
    }

    /** The read models' indexes and constraints as PostgreSQL describes them, names included. */
    private List<String> structure() {
        List<String> tables = READ_MODELS.values().stream().flatMap(model -> model.keySet().stream()).toList();
        List<String> structure = new ArrayList<>(jdbc.sql("""
                        SELECT indexname || ': ' || indexdef FROM pg_indexes
                        WHERE schemaname = 'public' AND tablename = ANY(?) ORDER BY indexname""")
                .param(tables.toArray(String[]::new)).query(String.class).list());
        structure.addAll(jdbc.sql("""
                        SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint
                        WHERE conrelid::regclass::text = ANY(?) ORDER BY conname""")
                .param(tables.toArray(String[]::new)).query(String.class).list());
        return structure;
    }

    private Api.Response replay(String name, String key) {
        return call("POST", PROJECTIONS + "/" + name + "/replay", key, null, null);
    }

    /** Waits until the rebuild of the read model is over, and checks that it succeeded and reached the head. */
    private void awaitReplayed(String name) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode status = projection(name);
            assertThat(status.path("replaying").asBoolean()).as(status.toString()).isFalse();
            assertThat(status.path("position").asLong()).as(status.toString())
                    .isEqualTo(status.path("headPosition").asLong());
        });
        JsonNode status = projection(name);
        assertThat(status.has("failure")).as("rebuild of %s failed: %s", name, status).isFalse();
        assertThat(status.path("progress").asDouble()).as(status.toString()).isEqualTo(1.0);
    }

    /** The rows only one side has, a few of them; empty when both hold the same rows in the same order. */
    private static List<String> difference(List<String> live, List<String> rebuilt) {
        if (live.equals(rebuilt)) {
            return List.of();
        }
        List<String> onlyLive = new ArrayList<>(live);
        onlyLive.removeAll(new HashSet<>(rebuilt));
        List<String> onlyRebuilt = new ArrayList<>(rebuilt);
        onlyRebuilt.removeAll(new HashSet<>(live));
        List<String> difference = new ArrayList<>();
        difference.add(live.size() + " live rows, " + rebuilt.size() + " rebuilt; " + onlyLive.size()
                + " only live, " + onlyRebuilt.size() + " only rebuilt" + (onlyLive.isEmpty() && onlyRebuilt.isEmpty()
                ? " (same rows, other order)" : ""));
        onlyLive.stream().limit(5).forEach(row -> difference.add("only live:    " + row));
        onlyRebuilt.stream().limit(5).forEach(row -> difference.add("only rebuilt: " + row));
        return difference;
    }

    @Test
    void everyReadModelRebuiltByReplayIsRowForRowTheLiveOne() {
        ScriptedRun run = new ScriptedRun(this::call, OPERATOR, operatorKeyId(), 20261129L).run(320);
        String projectA = run.projectIds.get(0);
        // and a burst of commands made at the same moment, as many clients make them
        concurrentKeys(createProject(), 12, 5, () -> { });
        // and quota requests, which the scripted run does not make
        String requests = createProject();
        String asker = memberKey(requests, "asker", "TENANT_USER");
        for (int i = 0; i < 3; i++) {
            Api.Response request = api.post("/api/v1/projects/" + requests + "/quota-requests", asker,
                    Api.json("service", "CCS", "resources", Map.of("gpu", i), "reason", "replay " + i));
            assertThat(request.status()).as(request.raw()).isEqualTo(201);
            if (i > 0) {
                Api.Response approved = api.post("/api/v1/projects/" + requests + "/quota-requests/"
                        + request.text("requestId") + (i == 1 ? "/approve" : "/cancel"), OPERATOR, "");
                assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
            }
        }
        awaitAuditAtHead();
        awaitAtHead("usage_history");
        Map<String, List<String>> live = snapshot();
        List<String> structure = structure();
        assertThat(structure).anyMatch(index -> index.startsWith("api_key_member_list: "))
                .anyMatch(index -> index.startsWith("audit_entry_pkey: "));
        assertThat(live.get("project")).anyMatch(row -> row.contains(projectA));
        assertThat(live.get("api_key").stream().filter(row -> row.contains(projectA)).count()).isGreaterThan(10);
        assertThat(live.get("quota_member")).anyMatch(row -> row.contains(projectA));
        assertThat(live.get("usage_hour")).anyMatch(row -> row.contains(projectA));
        assertThat(live.get("audit_entry").stream().filter(row -> row.contains(run.correlationPrefix())).count())
                .isGreaterThan(150);

        // Spoil the live copy of the run's project in every table: only a rebuild from the events restores it.
        jdbc.sql("UPDATE project SET name = 'spoilt' WHERE project_id = ?").param(projectA).update();
        jdbc.sql("DELETE FROM project_member WHERE project_id = ? AND user_id = 'boss'").param(projectA).update();
        jdbc.sql("UPDATE api_key SET expires_at = expires_at + interval '1 day' WHERE project_id = ?")
                .param(projectA).update();
        jdbc.sql("UPDATE quota_project SET usage = usage + 1000 WHERE project_id = ?").param(projectA).update();
        jdbc.sql("DELETE FROM quota_member WHERE project_id = ?").param(projectA).update();
        jdbc.sql("UPDATE usage_hour SET peak = peak + 1000 WHERE project_id = ?").param(projectA).update();
        jdbc.sql("DELETE FROM audit_entry WHERE project_id = ?").param(projectA).update();
        jdbc.sql("UPDATE quota_request SET status = 'REJECTED' WHERE project_id = ?").param(requests).update();
        assertThat(snapshot()).allSatisfy((table, rows) -> assertThat(rows).as(table).isNotEqualTo(live.get(table)));

        for (String name : READ_MODELS.keySet()) {
            Api.Response started = replay(name, OPERATOR);
            assertThat(started.status()).as(started.raw()).isEqualTo(202);
            JsonNode rebuilding = started.body().path("projections").valueStream()
                    .filter(projection -> projection.path("name").asString().equals(name)).findFirst().orElseThrow();
            assertThat(rebuilding.path("replaying").asBoolean()).as("just started: %s", rebuilding).isTrue();
            assertThat(rebuilding.path("progress").asDouble()).as(rebuilding.toString()).isBetween(0.0, 1.0);
            assertThat(rebuilding.path("position").asLong()).as(rebuilding.toString())
                    .isLessThanOrEqualTo(rebuilding.path("headPosition").asLong());
            awaitReplayed(name);
        }

        awaitAtHead("usage_history");
        assertProjectionList(true);
        Map<String, List<String>> rebuilt = snapshot();
        SoftAssertions tables = new SoftAssertions();
        for (String table : live.keySet()) {
            tables.assertThat(difference(live.get(table), rebuilt.get(table))).as("table %s after replay", table)
                    .isEmpty();
        }
        tables.assertAll();
        assertThat(structure()).as("the rebuilt tables have the live ones' indexes and constraints, by name")
                .containsExactlyElementsOf(structure);
        assertThat(jdbc.sql("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild%' OR nspname LIKE 'retired%'")
                .query(String.class).list()).as("the rebuild's schemas are gone").isEmpty();
    }

    /** The list as the contract names it; every read model is where it should be for its kind. */
    private void assertProjectionList(boolean streamingAtHead) {
        Api.Response list = api.get(PROJECTIONS, OPERATOR);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        assertThat(list.body().propertyNames()).containsExactly("projections");
        long head = jdbc.sql("SELECT max(global_index) FROM domain_event_entry").query(Long.class).single();
        List<String> names = new ArrayList<>();
        for (JsonNode projection : list.body().path("projections").values()) {
            String name = projection.path("name").asString();
            names.add(name);
            assertThat(projection.propertyNames()).as(projection.toString())
                    .containsExactlyInAnyOrder("name", "position", "headPosition", "replaying", "progress");
            assertThat(projection.path("position").isIntegralNumber()).as(projection.toString()).isTrue();
            assertThat(projection.path("headPosition").isIntegralNumber()).as(projection.toString()).isTrue();
            assertThat(projection.path("headPosition").asLong()).as(projection.toString()).isEqualTo(head);
            assertThat(projection.path("replaying").isBoolean()).as(projection.toString()).isTrue();
            assertThat(projection.path("replaying").asBoolean()).as(projection.toString()).isFalse();
            assertThat(projection.path("progress").isNumber()).as(projection.toString()).isTrue();
            double progress = projection.path("progress").asDouble();
            long position = projection.path("position").asLong();
            if ((name.equals("audit") || name.equals("usage_history")) && !streamingAtHead) {
                // the streaming read models may lag a moment
                assertThat(position).as(projection.toString()).isBetween(0L, head);
                assertThat(progress).as(projection.toString())
                        .isCloseTo((double) position / head, org.assertj.core.data.Offset.offset(1e-9));
            } else {
                assertThat(position).as(projection.toString()).isEqualTo(head);
                assertThat(progress).as(projection.toString()).isEqualTo(1.0);
            }
        }
        assertThat(names).containsExactlyInAnyOrder("projects", "members", "keys", "quotas", "usage_history",
                "quota_requests", "audit");
    }

    @Test
    void theOperatorSeesHowFarEveryReadModelIs() {
        String project = createProject();
        addMember(project, "alice", "TENANT_USER");
        assertProjectionList(false);
    }

    @Test
    void replayingAnUnknownReadModelIsNotFound() {
        assertProblem(replay("no-such-model", OPERATOR), 404, "NOT_FOUND");
        assertProblem(replay("Keys", OPERATOR), 404, "NOT_FOUND");
    }

    @Test
    void onlyTheOperatorSeesAndReplaysReadModels() {
        String project = createProject();
        String admin = memberKey(project, "alice", "TENANT_ADMIN");
        String user = memberKey(project, "bob", "TENANT_USER");
        String service = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "replay-svc")).text("key");

        for (String key : List.of(admin, user, service)) {
            assertProblem(api.get(PROJECTIONS, key), 403, "FORBIDDEN");
            assertProblem(replay("keys", key), 403, "FORBIDDEN");
            assertProblem(replay("no-such-model", key), 403, "FORBIDDEN");
            assertProblem(api.get("/api/v1/admin/dead-letters", key), 403, "FORBIDDEN");
            assertProblem(call("POST", "/api/v1/admin/dead-letters/retry", key, null, null), 403, "FORBIDDEN");
        }
        assertProblem(api.get(PROJECTIONS, null), 401, "UNAUTHENTICATED");
        assertProblem(replay("keys", null), 401, "UNAUTHENTICATED");
    }

    /** Best effort: a replay here takes a moment only, so the reads overlap it for a few requests at most. */
    @Test
    void queriesKeepAnsweringWithTheWholeListDuringAReplay() {
        String project = createProject();
        Set<String> keyIds = new HashSet<>();
        String someKey = null;
        for (String user : List.of("u1", "u2", "u3", "u4")) {
            addMember(project, user, "TENANT_USER");
            for (int i = 0; i < 5; i++) {
                Api.Response created = createKey(project, user);
                keyIds.add(created.text("keyId"));
                someKey = created.text("key");
            }
        }
        String path = "/api/v1/projects/" + project + "/keys?limit=100";

        for (String name : List.of("keys", "members", "projects")) {
            Api.Response started = replay(name, OPERATOR);
            assertThat(started.status()).as(started.raw()).isEqualTo(202);
            boolean replaying = true;
            int reads = 0;
            while (replaying || reads < 3) {
                Api.Response list = api.get(path, OPERATOR);
                assertThat(list.status()).as(list.raw()).isEqualTo(200);
                assertThat(list.body().path("keys").findValuesAsString("keyId"))
                        .as("read %s during the replay of %s", reads, name).containsExactlyInAnyOrderElementsOf(keyIds);
                assertThat(api.get("/api/v1/me", someKey).status()).as("a key authenticates during the replay")
                        .isEqualTo(200);
                reads++;
                replaying = projection(name).path("replaying").asBoolean();
            }
            awaitReplayed(name);
        }
    }

    /** While another node holds a read model's rebuild lock, a rebuild asked for here does not start. */
    @Test
    void aRebuildRunningOnAnotherNodeIsNotStartedTwice() throws Exception {
        String before = rebuildRow("projects");
        try (Connection otherNode = dataSource.getConnection()) {
            try (Statement lock = otherNode.createStatement()) {
                lock.execute("SELECT pg_advisory_lock(hashtext('keyquota.read-model-rebuild.projects'))");
            }
            assertThat(replay("projects", OPERATOR).status()).isEqualTo(202);
            assertThat(projection("projects").path("replaying").asBoolean()).isFalse();
            assertThat(rebuildRow("projects")).as("no rebuild was claimed").isEqualTo(before);
            // the other node's rebuild ends (a pooled connection keeps session locks: release it explicitly)
            try (Statement unlock = otherNode.createStatement()) {
                unlock.execute("SELECT pg_advisory_unlock(hashtext('keyquota.read-model-rebuild.projects'))");
            }
        }
        assertThat(replay("projects", OPERATOR).status()).isEqualTo(202);
        awaitReplayed("projects");
    }

    /**
     * A migration that changes a table while its read model is rebuilt (here an index, made while the rebuild is
     * about to swap) fails the rebuild: swapping the copy in would undo the migration.
     */
    @Test
    void aTableChangedDuringTheRebuildIsNotReplaced() throws Exception {
        try (Connection migration = dataSource.getConnection()) {
            migration.setAutoCommit(false);
            try (Statement index = migration.createStatement()) {
                index.execute("CREATE INDEX replay_test_migration ON project (name)");
            }
            assertThat(replay("projects", OPERATOR).status()).isEqualTo(202);
            // the rebuild has caught up and waits for the tables the migration holds
            await().atMost(WAIT).until(() -> jdbc.sql("""
                            SELECT count(*) FROM pg_locks
                            WHERE relation = CAST('public.project' AS regclass) AND NOT granted
                              AND mode = 'ExclusiveLock'""").query(Long.class).single() == 1);
            migration.commit();
        }
        try {
            await().atMost(WAIT).untilAsserted(() -> assertThat(projection("projects").path("replaying")
                    .asBoolean()).isFalse());
            JsonNode status = projection("projects");
            assertThat(status.path("failure").asString()).as(status.toString())
                    .contains("Table project changed during the rebuild");
            assertThat(jdbc.sql("SELECT count(*) FROM pg_indexes WHERE indexname = 'replay_test_migration'")
                    .query(Long.class).single()).as("the migration's index stays").isEqualTo(1);
        } finally {
            jdbc.sql("DROP INDEX IF EXISTS replay_test_migration").update();
        }
        assertThat(replay("projects", OPERATOR).status()).isEqualTo(202);
        awaitReplayed("projects");
    }

    private String rebuildRow(String name) {
        return jdbc.sql("SELECT coalesce((SELECT t::text FROM projection_rebuild t WHERE name = ?), 'none')")
                .param(name).query(String.class).single();
    }
}
