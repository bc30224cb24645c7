package keyquota.api.audit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every command of a scripted run that changed state appears in the audit log once (as the events it caused),
 * with the caller who made it, in the order the commands were made; rejected commands and commands that changed
 * nothing do not appear.
 */
class AuditCompletenessTest extends AuditTestBase {

    @Autowired
    private JdbcClient jdbc;

    @Test
    void everyCommandOfTheScriptedRunAppearsOnceWithItsActorInOrder() {
        Instant start = clock.instant();
        ScriptedRun run = new ScriptedRun(this::call, OPERATOR, operatorKeyId(), 4242L).run(320);
        int expectedEntries = run.steps.stream().mapToInt(step -> step.events().size()).sum();
        String from = "from=" + enc(start.minusSeconds(1));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(
                allEntries(from, OPERATOR).stream().filter(entry -> entry.path("correlationId").asString("")
                        .startsWith(run.correlationPrefix())).count()).isGreaterThanOrEqualTo(expectedEntries));

        List<JsonNode> entries = allEntries(from, OPERATOR);
        Map<String, List<JsonNode>> byRequest = new LinkedHashMap<>();
        for (JsonNode entry : entries) {
            String correlationId = entry.path("correlationId").asString();
            if (correlationId.startsWith(run.correlationPrefix())) {
                byRequest.computeIfAbsent(correlationId, id -> new ArrayList<>()).add(entry);
            } else {
                assertThat(run.projectIds).as("an entry of the run without its correlation id: %s", entry)
                        .doesNotContain(entry.path("projectId").asString());
            }
        }

        Set<String> types = new TreeSet<>();
        long last = Long.MIN_VALUE;
        int changes = 0;
        for (ScriptedRun.Step step : run.steps) {
            List<JsonNode> found = byRequest.getOrDefault(step.correlationId(), List.of());
            List<String> actual = found.stream().map(entry -> entry.path("type").asString() + " "
                    + entry.path("projectId").asString(null) + " " + entry.path("subject").asString()).toList();
            List<String> expected = step.events().stream()
                    .map(event -> event.type() + " " + event.projectId() + " " + event.subject()).toList();
            assertThat(actual).as("step %s: %s (HTTP %s)", step.index(), step.description(), step.status())
                    .containsExactlyElementsOf(expected);
            for (JsonNode entry : found) {
                JsonNode actor = entry.path("actor");
                ScriptedRun.Actor by = step.actor();
                assertThat(actor.path("type").asString()).as("actor of %s", entry).isEqualTo(by.type());
                assertThat(actor.path("keyId").asString()).as("actor of %s", entry).isEqualTo(by.keyId());
                if (by.userId() == null) {
                    assertThat(actor.has("userId")).as("actor of %s", entry).isFalse();
                } else {
                    assertThat(actor.path("userId").asString()).as("actor of %s", entry).isEqualTo(by.userId());
                }
                long position = entry.path("position").asLong();
                assertThat(position).as("entry %s follows the entries of the commands before it", entry)
                        .isGreaterThan(last);
                last = position;
                types.add(entry.path("type").asString());
            }
            if (!step.events().isEmpty()) {
                changes++;
            }
        }
        Set<String> requests = new TreeSet<>();
        run.steps.forEach(step -> requests.add(step.correlationId()));
        assertThat(requests).as("every entry of the run belongs to one of its requests")
                .containsAll(byRequest.keySet());

        // The run is as mixed as it claims to be.
        assertThat(run.steps).hasSize(320);
        assertThat(changes).isGreaterThan(150);
        assertThat(run.steps.size() - changes).as("rejected or idempotent commands").isGreaterThan(20);
        assertThat(types).containsExactlyInAnyOrder("ProjectCreated", "MemberJoined", "MemberRoleChanged",
                "MemberRemoved", "KeyCreated", "KeyExtended", "KeyDeleted", "ServiceKeyCreated", "ServiceKeyDeleted",
                "ProjectQuotaSet", "MemberQuotaSet", "UsageAllocated", "UsageReleased");
    }

    /**
     * Commands made at the same moment by many clients each appear once, as the event they caused, at that event's
     * position in the store.
     */
    @Test
    void everyCommandOfAConcurrentBurstAppearsOnceAtItsEventsPosition() {
        String project = createProject();
        Map<String, String> keys = concurrentKeys(project, 12, 5, () -> { });
        String operatorKeyId = operatorKeyId();

        List<JsonNode> entries = awaitEntries("projectId=" + enc(project), 1 + 12 + 60);

        Map<String, List<String>> byRequest = new LinkedHashMap<>();
        entries.forEach(entry -> byRequest.computeIfAbsent(entry.path("correlationId").asString(""),
                id -> new ArrayList<>()).add(entry.path("type").asString() + " " + entry.path("subject").asString()
                + " by " + entry.path("actor").path("type").asString() + " "
                + entry.path("actor").path("keyId").asString()));
        keys.forEach((correlationId, keyId) -> assertThat(byRequest.get(correlationId)).as(correlationId)
                .containsExactly("KeyCreated key/" + keyId + " by OPERATOR " + operatorKeyId));
        List<Long> stored = jdbc.sql("""
                        SELECT global_index FROM domain_event_entry
                        WHERE aggregate_identifier = ? OR starts_with(aggregate_identifier, ?) ORDER BY global_index""")
                .params(project, project + "/").query(Long.class).list();
        assertThat(entries.stream().map(entry -> entry.path("position").asLong()).toList())
                .as("the positions of the project's entries are its events' positions in the store")
                .containsExactlyElementsOf(stored);
    }
}
