package keyquota.api.audit;

import keyquota.api.support.Api;
import keyquota.api.support.AuditFaultInjector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poison event of the audit read model is tried a few times, then parked in the dead-letter queue; the
 * processor goes on with later events; the operator sees the dead letter and, once the fault is gone, retries it
 * and the entry appears.
 */
class DeadLetterTest extends AuditTestBase {

    private static final String DEAD_LETTERS = "/api/v1/admin/dead-letters";

    @Autowired
    private JdbcTemplate jdbc;

    private List<JsonNode> deadLettersOf(String projectId) {
        Api.Response list = api.get(DEAD_LETTERS, OPERATOR);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        assertThat(list.body().propertyNames()).containsExactly("deadLetters");
        return list.body().path("deadLetters").valueStream()
                .filter(letter -> projectId.equals(letter.path("aggregateIdentifier").asString(null)))
                .toList();
    }

    private JsonNode retry() {
        Api.Response retried = call("POST", DEAD_LETTERS + "/retry", OPERATOR, null, null);
        assertThat(retried.status()).as(retried.raw()).isEqualTo(200);
        return retried.body();
    }

    /**
     * Creates the project, whose creation the audit log is to fail on, adds a member and creates one more project.
     * Once the project has its one dead letter, the entries around it (the member, the projects made before and
     * after) are each projected once.
     *
     * @return the dead letter
     */
    private JsonNode parkedCreationOf(String projectId, String name, String before) {
        Api.Response created = api.post("/api/v1/projects", OPERATOR, Api.json("projectId", projectId, "name", name));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        addMember(projectId, "alice", "TENANT_USER");
        String after = createProject();

        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLettersOf(projectId)).hasSize(1));
        awaitEntries("projectId=" + after, 1);
        assertThat(types(allEntries("projectId=" + projectId, OPERATOR))).containsExactly("MemberJoined");
        assertThat(types(allEntries("projectId=" + before, OPERATOR))).containsExactly("ProjectCreated");
        assertThat(types(allEntries("projectId=" + after, OPERATOR))).containsExactly("ProjectCreated");
        return deadLettersOf(projectId).get(0);
    }

    @Test
    void aPoisonEventIsParkedLaterEventsAreProjectedAndARetryAfterTheFixProjectsIt() {
        String poisoned = "DLQ-" + UUID.randomUUID().toString().substring(0, 8);
        AuditFaultInjector.poison(poisoned);
        try {
            Api.Response created = api.post("/api/v1/projects", OPERATOR,
                    Api.json("projectId", poisoned, "name", "Poisoned"));
            assertThat(created.status()).as("the command does not wait for the audit log: " + created.raw())
                    .isEqualTo(201);
            addMember(poisoned, "alice", "TENANT_USER");
            String healthy = createProject();

            await().atMost(WAIT).untilAsserted(() -> assertThat(deadLettersOf(poisoned)).hasSize(1));
            awaitEntries("projectId=" + poisoned, 1);
            awaitEntries("projectId=" + healthy, 1);
            JsonNode letter = deadLettersOf(poisoned).get(0);
            assertThat(letter.path("processingGroup").asString()).isEqualTo("audit");
            assertThat(letter.path("eventType").asString()).isEqualTo("keyquota.domain.project.ProjectCreated");
            assertThat(letter.path("sequenceNumber").asLong()).isZero();
            assertThat(letter.path("causeType").asString()).isEqualTo(IllegalStateException.class.getName());
            assertThat(letter.path("cause").asString()).contains("Injected audit fault for project " + poisoned);
            assertThat(Instant.parse(letter.path("enqueuedAt").asString())).isBeforeOrEqualTo(clock.instant());
            assertThat(AuditFaultInjector.failures()).as("tried 3 times before parking").isEqualTo(3);

            // later events, of this project's other aggregates and of other projects, are still projected
            assertThat(types(allEntries("projectId=" + poisoned, OPERATOR))).containsExactly("MemberJoined");
            assertThat(types(allEntries("projectId=" + healthy, OPERATOR))).containsExactly("ProjectCreated");

            // a retry while the fault lasts parks it again
            JsonNode failed = retry();
            assertThat(failed.path("retried").asInt()).isZero();
            assertThat(failed.path("remaining").asInt()).isEqualTo(1);
            assertThat(AuditFaultInjector.failures()).isEqualTo(6);
            assertThat(deadLettersOf(poisoned)).singleElement()
                    .satisfies(again -> assertThat(again.path("lastTouched").isString()).isTrue());
            assertThat(types(allEntries("projectId=" + poisoned, OPERATOR))).containsExactly("MemberJoined");

            AuditFaultInjector.heal();
            JsonNode fixed = retry();
            assertThat(fixed.path("retried").asInt()).isEqualTo(1);
            assertThat(fixed.path("remaining").asInt()).isZero();
            assertThat(deadLettersOf(poisoned)).isEmpty();

            List<JsonNode> entries = awaitEntries("projectId=" + poisoned, 2);
            assertThat(types(entries)).containsExactly("ProjectCreated", "MemberJoined");
            JsonNode projectCreated = entries.get(0);
            assertThat(projectCreated.path("subject").asString()).isEqualTo("project/" + poisoned);
            assertThat(projectCreated.path("details").path("name").asString()).isEqualTo("Poisoned");
            assertThat(projectCreated.path("actor").path("type").asString()).isEqualTo("OPERATOR");
            assertThat(projectCreated.path("actor").path("keyId").asString()).isEqualTo(operatorKeyId());
            assertThat(retry().path("retried").asInt()).as("nothing is left to retry").isZero();
        } finally {
            AuditFaultInjector.heal();
            retry();
        }
    }

    /**
     * A failed statement aborts the batch's transaction, which an event handled without a savepoint cannot survive:
     * the batch is handled again, that event in savepoints, and it is parked like any poison event, while the
     * events around it are projected once.
     */
    @Test
    void anEventWhoseStatementFailsIsParkedAndTheRestOfItsBatchIsProjectedOnce() {
        String failing = "SQL-" + UUID.randomUUID().toString().substring(0, 8);
        String before = createProject();
        AuditFaultInjector.failAStatementFor(failing);
        try {
            JsonNode letter = parkedCreationOf(failing, "Failing statement", before);
            assertThat(letter.path("cause").asString()).contains("division by zero");
            assertThat(AuditFaultInjector.failures()).as("once in the batch, then 3 times in savepoints")
                    .isEqualTo(4);
        } finally {
            AuditFaultInjector.heal();
            retry();
        }
    }

    /**
     * A batch's entries are written together as it commits: an entry PostgreSQL refuses fails the whole commit. The
     * batch is handled again, its events in savepoints, and only the refused one is parked; a retry once PostgreSQL
     * takes it writes it.
     */
    @Test
    void anEntryRefusedAsTheBatchCommitsIsParkedAndTheRestOfItsBatchIsProjectedOnce() {
        String refused = "REF-" + UUID.randomUUID().toString().substring(0, 8);
        String before = createProject();
        jdbc.execute("ALTER TABLE audit_entry ADD CONSTRAINT test_refused_entry CHECK (NOT (project_id = '" + refused
                + "' AND type = 'ProjectCreated')) NOT VALID");
        try {
            JsonNode letter = parkedCreationOf(refused, "Refused entry", before);
            assertThat(letter.path("cause").asString()).contains("test_refused_entry");
        } finally {
            jdbc.execute("ALTER TABLE audit_entry DROP CONSTRAINT IF EXISTS test_refused_entry");
        }
        assertThat(retry().path("retried").asInt()).isEqualTo(1);
        assertThat(types(awaitEntries("projectId=" + refused, 2))).containsExactly("ProjectCreated", "MemberJoined");
    }

    /** A database that is away for a moment parks nothing: the event is tried again and its entry is written. */
    @Test
    void aLostDatabaseParksNothingTheEventIsTriedAgain() {
        String projectId = "DBL-" + UUID.randomUUID().toString().substring(0, 8);
        AuditFaultInjector.loseTheDatabaseFor(projectId, 4);
        try {
            Api.Response created = api.post("/api/v1/projects", OPERATOR,
                    Api.json("projectId", projectId, "name", "Database lost"));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            addMember(projectId, "alice", "TENANT_USER");

            List<JsonNode> entries = awaitEntries("projectId=" + projectId, 2);
            assertThat(types(entries)).containsExactly("ProjectCreated", "MemberJoined");
            assertThat(AuditFaultInjector.failures()).as("more failures than one batch's attempts").isEqualTo(4);
            assertThat(deadLettersOf(projectId)).isEmpty();
        } finally {
            AuditFaultInjector.loseTheDatabaseFor(null, 0);
        }
    }
}
