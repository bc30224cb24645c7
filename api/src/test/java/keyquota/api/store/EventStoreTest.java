package keyquota.api.store;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.application.secret.KeySecret;
import keyquota.domain.Role;
import keyquota.domain.membership.MemberRemoved;
import keyquota.domain.project.ProjectCreated;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event store as it lies in PostgreSQL: Flyway's tables, bytea and JSON, a gapless global index, clashes refused. */
class EventStoreTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private EventStorageEngine eventStorageEngine;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void noColumnAnywhereIsALargeObject() {
        List<String> oidColumns = jdbc.sql("""
                        SELECT table_name || '.' || column_name FROM information_schema.columns
                        WHERE table_schema = 'public' AND udt_name = 'oid'""")
                .query(String.class).list();
        assertThat(oidColumns).isEmpty();

        Map<String, String> eventColumns = columnTypes("domain_event_entry");
        assertThat(eventColumns).as("the query sees the event table")
                .containsEntry("payload", "bytea")
                .containsEntry("meta_data", "bytea")
                .containsEntry("global_index", "int8");
        assertThat(columnTypes("snapshot_event_entry")).containsEntry("payload", "bytea");
        assertThat(columnTypes("token_entry")).containsEntry("token", "bytea");
    }

    @Test
    void everyTableIsCreatedByAFlywayMigration() throws IOException {
        List<String> failed = jdbc.sql("SELECT version FROM flyway_schema_history WHERE NOT success")
                .query(String.class).list();
        assertThat(failed).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'")
                .query(Long.class).single()).isEqualTo(1);

        StringBuilder migrations = new StringBuilder();
        for (Resource migration : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:db/migration/*.sql")) {
            migrations.append(migration.getContentAsString(StandardCharsets.UTF_8)).append('\n');
        }
        String sql = migrations.toString().toLowerCase(Locale.ROOT);
        List<String> tables = jdbc.sql("""
                        SELECT table_name FROM information_schema.tables
                        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
                          AND table_name <> 'flyway_schema_history'""")
                .query(String.class).list();
        assertThat(tables).contains("domain_event_entry", "snapshot_event_entry", "token_entry", "api_key");
        assertThat(tables).allSatisfy(table -> assertThat(Pattern.compile(
                        "create\\s+table\\s+(if\\s+not\\s+exists\\s+)?(public\\.)?" + table + "\\b").matcher(sql).find())
                .as("table %s is created by a migration, not by Axon or Hibernate", table).isTrue());

        assertThat(jdbc.sql("""
                        SELECT increment_by FROM pg_sequences
                        WHERE schemaname = 'public' AND sequencename = 'domain_event_entry_global_index_seq'""")
                .query(Long.class).single()).as("global_index grows by 1").isEqualTo(1L);
    }

    @Test
    void theGlobalIndexGrowsByExactlyOneFromEventToEvent() {
        long before = jdbc.sql("SELECT coalesce(max(global_index), 0) FROM domain_event_entry").query(Long.class).single();

        String project = createProject();
        addMember(project, "alice", "TENANT_USER");
        String first = createKey(project, "alice").text("keyId");
        String second = createKey(project, "alice").text("keyId");
        assertThat(api.post("/api/v1/projects/" + project + "/keys/" + first + "/extend", OPERATOR,
                Api.json("days", 3)).status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/projects/" + project + "/keys/" + second, OPERATOR).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/projects/" + project + "/members/alice", OPERATOR).status()).isEqualTo(204);

        List<Map<String, Object>> events = jdbc.sql("""
                        SELECT global_index, payload_type FROM domain_event_entry
                        WHERE global_index > ? ORDER BY global_index""")
                .param(before).query().listOfRows();
        assertThat(events).extracting(row -> row.get("payload_type")).containsExactly(
                "keyquota.domain.project.ProjectCreated",
                "keyquota.domain.membership.MemberJoined",
                "keyquota.domain.key.KeyCreated",
                "keyquota.domain.key.KeyCreated",
                "keyquota.domain.key.KeyExtended",
                "keyquota.domain.key.KeyDeleted",
                // one command, two events: the remaining key dies with the membership
                "keyquota.domain.key.KeyDeleted",
                "keyquota.domain.membership.MemberRemoved");
        List<Long> indexes = events.stream().map(row -> ((Number) row.get("global_index")).longValue()).toList();
        List<Long> steps = new ArrayList<>();
        for (int i = 1; i < indexes.size(); i++) {
            steps.add(indexes.get(i) - indexes.get(i - 1));
        }
        assertThat(steps).as("global indexes %s", indexes).containsOnly(1L);
    }

    @Test
    void aSecondEventAtAnExistingSequenceNumberIsAConcurrencyExceptionAndNothingIsStored() {
        String project = createProject();
        addMember(project, "alice", "TENANT_USER");
        createKey(project, "alice");
        String membership = project + "/alice";
        List<String> stored = eventIdentifiers(membership);
        assertThat(stored).hasSize(2);

        GenericDomainEventMessage<MemberRemoved> clash = new GenericDomainEventMessage<>(
                "Membership", membership, 1L, new MemberRemoved(project, "alice", Role.TENANT_USER));
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> eventStorageEngine.appendEvents(clash)))
                .isInstanceOf(ConcurrencyException.class);
        assertThatThrownBy(() -> eventStorageEngine.appendEvents(clash))
                .as("also in a transaction of the engine's own")
                .isInstanceOf(ConcurrencyException.class);

        assertThat(eventIdentifiers(membership)).isEqualTo(stored);
        assertThat(jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE event_identifier = ?")
                .param(clash.getIdentifier()).query(Long.class).single()).isZero();
        assertThat(api.get("/api/v1/projects/" + project + "/members", OPERATOR).body().path("members")
                .findValuesAsString("userId")).containsExactly("alice");
    }

    /** At sequence 0 Axon reports the clash as a second creation: what makes a project id unique on every node. */
    @Test
    void aSecondFirstEventOfAnAggregateIsAnAggregateStreamCreationExceptionAndNothingIsStored() {
        String project = createProject();
        List<String> stored = eventIdentifiers(project);
        assertThat(stored).hasSize(1);

        GenericDomainEventMessage<ProjectCreated> clash = new GenericDomainEventMessage<>(
                "Project", project, 0L, new ProjectCreated(project, "impostor", Instant.now()));

        assertThatThrownBy(() -> new TransactionTemplate(transactionManager)
                .executeWithoutResult(status -> eventStorageEngine.appendEvents(clash)))
                .isInstanceOf(AggregateStreamCreationException.class);

        assertThat(eventIdentifiers(project)).isEqualTo(stored);
        assertThat(api.get("/api/v1/projects/" + project, OPERATOR).text("name")).isEqualTo("Project " + project);
    }

    private List<String> eventIdentifiers(String aggregate) {
        return jdbc.sql("SELECT event_identifier FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number")
                .param(aggregate).query(String.class).list();
    }

    /**
     * "A rejected request changes nothing": when a read model cannot take an event, the command fails as a whole,
     * so the event store, the read models and the aggregate agree. The failure is injected with a trigger that
     * refuses one key name in api_key; the trigger is removed at the end.
     */
    @Test
    void aCommandWhoseProjectionFailsStoresNoEventAndChangesNothing() {
        String project = createProject();
        Api.Response own = createKeyAfterJoining(project);
        String alice = own.text("key");
        String membership = project + "/alice";
        List<String> events = eventIdentifiers(membership);
        String poison = "projection fails " + UUID.randomUUID();

        Api.Response failed;
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION keyquota_test_refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'read model failure injected by EventStoreTest'; END $$""").update();
        try {
            jdbc.sql("CREATE TRIGGER keyquota_test_refuse_key BEFORE INSERT ON api_key FOR EACH ROW WHEN (NEW.name = '"
                    + poison + "') EXECUTE FUNCTION keyquota_test_refuse_key()").update();
            failed = api.post("/api/v1/projects/" + project + "/keys", alice, Api.json("name", poison));
        } finally {
            jdbc.sql("DROP TRIGGER IF EXISTS keyquota_test_refuse_key ON api_key").update();
            jdbc.sql("DROP FUNCTION IF EXISTS keyquota_test_refuse_key()").update();
        }

        // An internal fault: the contract names no code for it, only that it is not a success.
        assertThat(failed.status()).as(failed.raw()).isGreaterThanOrEqualTo(500);
        assertThat(failed.contentType()).startsWith("application/problem+json");
        assertThat(eventIdentifiers(membership)).as("no KeyCreated without its read model row").isEqualTo(events);
        assertThat(api.get("/api/v1/projects/" + project + "/keys", alice).body().path("keys")
                .findValuesAsString("keyId")).containsExactly(own.text("keyId"));
        for (int i = 2; i <= 5; i++) {
            Api.Response created = api.post("/api/v1/projects/" + project + "/keys", alice, Api.json("name", "k" + i));
            assertThat(created.status()).as("key %d of 5: no invisible key holds a slot: %s", i, created.raw())
                    .isEqualTo(201);
        }
    }

    private Api.Response createKeyAfterJoining(String project) {
        addMember(project, "alice", "TENANT_USER");
        return createKey(project, "alice");
    }

    @Test
    void eventsAreStoredAsJsonNamedByTheirRecordClass() throws ClassNotFoundException {
        String project = createProject();
        addMember(project, "alice", "TENANT_USER");
        Api.Response created = createKey(project, "alice");
        String secret = created.text("key");

        Map<String, Object> row = jdbc.sql("""
                        SELECT payload_type, convert_from(payload, 'UTF8') AS payload,
                               convert_from(meta_data, 'UTF8') AS meta_data
                        FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE '%.KeyCreated'""")
                .param(project + "/alice").query().singleRow();

        assertThat(row.get("payload_type")).isEqualTo("keyquota.domain.key.KeyCreated");
        assertThat(Class.forName((String) row.get("payload_type")).isRecord()).isTrue();
        String text = (String) row.get("payload");
        JsonNode payload = JSON.readTree(text);
        assertThat(payload.isObject()).as(text).isTrue();
        assertThat(payload.propertyNames()).containsExactlyInAnyOrder("keyId", "projectId", "userId", "role", "name",
                "keyHash", "maskedKey", "createdAt", "expiresAt", "services", "allowedCidrs");
        assertThat(payload.path("keyId").asString()).isEqualTo(created.text("keyId"));
        assertThat(payload.path("projectId").asString()).isEqualTo(project);
        assertThat(payload.path("userId").asString()).isEqualTo("alice");
        assertThat(payload.path("role").asString()).isEqualTo("TENANT_USER");
        assertThat(payload.path("keyHash").asString()).isEqualTo(KeySecret.parse(secret).orElseThrow().hash());
        assertThat(payload.path("maskedKey").asString()).isEqualTo(created.text("maskedKey"));
        assertThat(Instant.parse(payload.path("createdAt").asString()))
                .as("times are RFC 3339 text, not numbers").isEqualTo(Instant.parse(created.text("createdAt")));
        assertThat(text).doesNotContain(secret);
        assertThat(JSON.readTree((String) row.get("meta_data")).isObject()).isTrue();

        List<String> payloadTypes = jdbc.sql("SELECT DISTINCT payload_type FROM domain_event_entry WHERE aggregate_identifier IN (?, ?)")
                .params(project, project + "/alice").query(String.class).list();
        assertThat(payloadTypes).containsExactlyInAnyOrder("keyquota.domain.project.ProjectCreated",
                "keyquota.domain.membership.MemberJoined", "keyquota.domain.key.KeyCreated");
    }

    private Map<String, String> columnTypes(String table) {
        Map<String, String> types = new HashMap<>();
        jdbc.sql("SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?")
                .param(table).query().listOfRows()
                .forEach(row -> types.put((String) row.get("column_name"), (String) row.get("udt_name")));
        return types;
    }
}
