package keyquota.api.audit;

import keyquota.api.support.Api;
import keyquota.application.secret.KeySecret;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stored events of KeyCreated revision 1 (validity in days, no expiry) still load: the membership aggregate
 * handles commands on such a key, a replay of the key read model lists it, and time travel rebuilds it.
 */
class UpcasterTest extends AuditTestBase {

    @Autowired
    private JdbcClient jdbc;

    private record Stored(long sequenceNumber, String type, String timeStamp, String payloadType,
                          String payloadRevision, String payload, String metaData) {
    }

    private Stored lastEventOf(String aggregateId) {
        return jdbc.sql("""
                        SELECT sequence_number, type, time_stamp, payload_type, payload_revision,
                               convert_from(payload, 'UTF8') AS payload, convert_from(meta_data, 'UTF8') AS meta_data
                        FROM domain_event_entry WHERE aggregate_identifier = ?
                        ORDER BY sequence_number DESC LIMIT 1""")
                .param(aggregateId)
                .query((rs, n) -> new Stored(rs.getLong("sequence_number"), rs.getString("type"),
                        rs.getString("time_stamp"), rs.getString("payload_type"), rs.getString("payload_revision"),
                        rs.getString("payload"), rs.getString("meta_data")))
                .single();
    }

    /** Appends a revision-1 KeyCreated, as an earlier version of the service stored it. */
    private void appendRevision1(String aggregateId, long sequenceNumber, String type, Instant at, String payload) {
        jdbc.sql("""
                        INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                        time_stamp, payload_type, payload_revision, payload, meta_data)
                        VALUES (?, ?, ?, ?, ?, 'keyquota.domain.key.KeyCreated', NULL, convert_to(?, 'UTF8'),
                                convert_to('{}', 'UTF8'))""")
                .params(UUID.randomUUID().toString(), aggregateId, sequenceNumber, type, at.toString(), payload)
                .update();
    }

    private static String revision1(UUID keyId, String projectId, String userId, KeySecret secret, Instant createdAt,
                                    int validDays, Instant expiresAt) {
        return Api.json("keyId", keyId.toString(), "projectId", projectId, "userId", userId, "role", "TENANT_USER",
                "name", "legacy", "keyHash", secret.hash(), "maskedKey", secret.masked(),
                "createdAt", createdAt.toString(), "validDays", validDays)
                .replaceFirst("}$", expiresAt == null ? "}" : ",\"expiresAt\":\"" + expiresAt + "\"}");
    }

    @Test
    void aRevisionOneKeyCreatedStillLoadsAndProjects() {
        String project = createProject();
        String alice = memberKey(project, "alice", "TENANT_USER");
        String membership = project + "/alice";
        Stored current = lastEventOf(membership);
        assertThat(current.payloadType()).isEqualTo("keyquota.domain.key.KeyCreated");
        assertThat(current.payloadRevision()).isEqualTo("2");
        assertThat(current.payload()).contains("\"expiresAt\"").doesNotContain("validDays");
        assertThat(Instant.parse(current.timeStamp())).isNotNull();

        clock.advance(Duration.ofMinutes(1));
        Instant createdAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        UUID legacyId = UUID.randomUUID();
        KeySecret legacy = KeySecret.generate(new SecureRandom());
        Api.SECRETS_SEEN.add(legacy.reveal());
        appendRevision1(membership, current.sequenceNumber() + 1, current.type(), createdAt,
                revision1(legacyId, project, "alice", legacy, createdAt, 20, null));
        // a revision-1 event that already carried its expiry keeps it
        UUID explicitId = UUID.randomUUID();
        KeySecret explicit = KeySecret.generate(new SecureRandom());
        Api.SECRETS_SEEN.add(explicit.reveal());
        Instant explicitExpiry = createdAt.plus(Duration.ofDays(3));
        appendRevision1(membership, current.sequenceNumber() + 2, current.type(), createdAt,
                revision1(explicitId, project, "alice", explicit, createdAt, 20, explicitExpiry));
        clock.advance(Duration.ofMinutes(1));

        // the streaming audit log reads the old events through the upcaster
        await().atMost(WAIT).untilAsserted(() -> assertThat(allEntries("keyId=" + legacyId, OPERATOR)).hasSize(1));
        JsonNode audited = allEntries("keyId=" + legacyId, OPERATOR).get(0);
        assertThat(audited.path("type").asString()).isEqualTo("KeyCreated");
        assertThat(Instant.parse(audited.path("details").path("expiresAt").asString()))
                .isEqualTo(createdAt.plus(Duration.ofDays(20)));
        assertThat(audited.path("details").has("validDays")).isFalse();

        // a replay of the key read model lists them, with expiresAt = createdAt + validDays
        Api.Response started = call("POST", PROJECTIONS + "/keys/replay", OPERATOR, null, null);
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode keys = projection("keys");
            assertThat(keys.path("replaying").asBoolean()).isFalse();
            assertThat(keys.path("position").asLong()).isEqualTo(keys.path("headPosition").asLong());
        });
        assertThat(projection("keys").has("failure")).isFalse();
        Api.Response list = api.get("/api/v1/projects/" + project + "/keys?userId=alice", OPERATOR);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        Map<String, JsonNode> listed = new java.util.HashMap<>();
        list.body().path("keys").values().forEach(key -> listed.put(key.path("keyId").asString(), key));
        assertThat(listed).containsKeys(legacyId.toString(), explicitId.toString()).hasSize(3);
        JsonNode legacyKey = listed.get(legacyId.toString());
        assertThat(legacyKey.path("name").asString()).isEqualTo("legacy");
        assertThat(legacyKey.path("maskedKey").asString()).isEqualTo(legacy.masked());
        assertThat(legacyKey.path("role").asString()).isEqualTo("TENANT_USER");
        assertThat(legacyKey.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(Instant.parse(legacyKey.path("createdAt").asString())).isEqualTo(createdAt);
        assertThat(Instant.parse(legacyKey.path("expiresAt").asString())).isEqualTo(createdAt.plus(Duration.ofDays(20)));
        assertThat(Instant.parse(listed.get(explicitId.toString()).path("expiresAt").asString()))
                .isEqualTo(explicitExpiry);
        assertThat(api.get("/api/v1/me", legacy.reveal()).status()).as("the legacy key authenticates").isEqualTo(200);

        // time travel rebuilds it from the upcast event
        String keyPath = "/api/v1/projects/" + project + "/keys/" + legacyId;
        Api.Response then = api.get(keyPath + "?asOf=" + enc(createdAt), OPERATOR);
        assertThat(then.status()).as(then.raw()).isEqualTo(200);
        assertThat(Instant.parse(then.text("expiresAt"))).isEqualTo(createdAt.plus(Duration.ofDays(20)));
        assertProblem(api.get(keyPath + "?asOf=" + enc(createdAt.minusSeconds(1)), OPERATOR), 404, "KEY_NOT_FOUND");

        // the membership aggregate loads the upcast event: extending adds to the upcast expiry
        Api.Response extended = api.post(keyPath + "/extend", alice, Api.json("days", 5));
        assertThat(extended.status()).as(extended.raw()).isEqualTo(200);
        assertThat(Instant.parse(extended.text("expiresAt"))).isEqualTo(createdAt.plus(Duration.ofDays(25)));
        Api.Response extendedExplicit = api.post("/api/v1/projects/" + project + "/keys/" + explicitId + "/extend",
                OPERATOR, Api.json("days", 1));
        assertThat(extendedExplicit.status()).as(extendedExplicit.raw()).isEqualTo(200);
        assertThat(Instant.parse(extendedExplicit.text("expiresAt"))).isEqualTo(explicitExpiry.plus(Duration.ofDays(1)));
        Api.Response later = api.get(keyPath + "?asOf=" + enc(clock.instant()), OPERATOR);
        assertThat(Instant.parse(later.text("expiresAt"))).isEqualTo(createdAt.plus(Duration.ofDays(25)));
        assertThat(api.delete(keyPath, alice).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me", legacy.reveal()).status()).isEqualTo(401);
        assertThat(List.of(lastEventOf(membership).payloadType())).containsExactly("keyquota.domain.key.KeyDeleted");
    }
}
