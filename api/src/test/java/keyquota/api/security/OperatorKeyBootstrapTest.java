package keyquota.api.security;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.application.operator.OperatorKeyBootstrap;
import keyquota.application.secret.KeySecret;
import keyquota.domain.operator.ConfigureOperatorKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operator key through the running service's beans. The shared context is configured with {@code OPERATOR}
 * as KEYQUOTA_BOOTSTRAP_KEY; every test that replaces it restores it in a finally block, so the other tests
 * keep working. The file written on a first start without any key is tested in {@link OperatorKeyFileTest}.
 */
class OperatorKeyBootstrapTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private OperatorKeyBootstrap bootstrap;

    @Autowired
    private JdbcClient jdbc;

    @TempDir
    private Path dataDir;

    @Test
    void theConfiguredKeyIsTheOperatorKey() {
        Api.Response me = api.get("/api/v1/me", OPERATOR);

        assertThat(me.status()).as(me.raw()).isEqualTo(200);
        assertThat(me.text("type")).isEqualTo("OPERATOR");
        assertThat(me.body().has("userId")).isFalse();
        assertThat(me.body().has("projectId")).isFalse();
        assertThat(api.post("/api/v1/projects", OPERATOR, Api.json("projectId", "op-can-act-" + System.nanoTime(),
                "name", "x")).status()).as("the operator can act").isEqualTo(201);
    }

    @Test
    void withAnOperatorKeyInPlaceNoKeyIsGeneratedAndNoFileWritten() throws IOException {
        String keyId = operatorKeyId();
        long events = operatorEvents();

        bootstrap.ensureOperatorKey(null, dataDir);
        bootstrap.ensureOperatorKey("   ", dataDir);

        assertThat(filesIn(dataDir)).isEmpty();
        assertThat(operatorEvents()).isEqualTo(events);
        assertThat(operatorKeyId()).isEqualTo(keyId);
    }

    @Test
    void theSameConfiguredKeyAgainChangesNothing() throws IOException {
        String keyId = operatorKeyId();
        long events = operatorEvents();

        bootstrap.ensureOperatorKey(OPERATOR, dataDir);

        assertThat(operatorEvents()).isEqualTo(events);
        assertThat(operatorKeyId()).isEqualTo(keyId);
        assertThat(filesIn(dataDir)).isEmpty();
    }

    @Test
    void anotherConfiguredKeyReplacesTheOperatorKey() throws IOException {
        String another = newSecret();
        try {
            bootstrap.ensureOperatorKey(another, dataDir);

            Api.Response me = api.get("/api/v1/me", another);
            assertThat(me.status()).as(me.raw()).isEqualTo(200);
            assertThat(me.text("type")).isEqualTo("OPERATOR");
            Api.Response old = api.get("/api/v1/me", OPERATOR);
            assertThat(old.status()).isEqualTo(401);
            assertThat(old.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(filesIn(dataDir)).as("a configured key is never written to a file").isEmpty();
        } finally {
            restoreOperatorKey();
        }
        assertThat(api.get("/api/v1/me", another).status()).as("the replaced key is refused").isEqualTo(401);
    }

    /**
     * An operator who rolls KEYQUOTA_BOOTSTRAP_KEY back to an earlier key must get a service that starts with
     * that key as the operator key ("a configured key replaces any earlier one").
     */
    @Test
    void anEarlierOperatorKeyCanBeConfiguredAgain() {
        String another = newSecret();
        RuntimeException failure;
        try {
            bootstrap.ensureOperatorKey(another, dataDir);
        } finally {
            failure = restoreOperatorKey();
        }
        assertThat(failure).as("configuring the earlier key %s again", KeySecret.parse(OPERATOR).orElseThrow())
                .isNull();
    }

    @Test
    void aMalformedConfiguredKeyIsRefusedAndChangesNothing() {
        String keyId = operatorKeyId();
        long events = operatorEvents();
        String wrongChecksum = OPERATOR.substring(0, 40) + (OPERATOR.endsWith("0") ? "1" : "0");

        for (String malformed : new String[] {wrongChecksum, "not-a-key", OPERATOR + "x", OPERATOR.substring(3)}) {
            assertThatThrownBy(() -> bootstrap.ensureOperatorKey(malformed, dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .message().doesNotContain(malformed);
        }

        assertThat(operatorEvents()).isEqualTo(events);
        assertThat(operatorKeyId()).isEqualTo(keyId);
        assertThat(api.get("/api/v1/me", OPERATOR).text("type")).isEqualTo("OPERATOR");
    }

    private static String newSecret() {
        String secret = KeySecret.generate(new SecureRandom()).reveal();
        Api.SECRETS_SEEN.add(secret);
        return secret;
    }

    /**
     * Makes {@code OPERATOR} the operator key again, whatever state a product bug left behind, so the shared context
     * never keeps another operator key.
     *
     * @return the failure of configuring it the ordinary way, or null when that worked
     */
    private RuntimeException restoreOperatorKey() {
        RuntimeException failure = null;
        try {
            bootstrap.ensureOperatorKey(OPERATOR, dataDir);
        } catch (RuntimeException e) {
            failure = e;
            recoverOperatorKey();
        }
        Api.Response me = api.get("/api/v1/me", OPERATOR);
        assertThat(me.status()).as("OPERATOR restored: " + me.raw()).isEqualTo(200);
        assertThat(me.text("type")).isEqualTo("OPERATOR");
        return failure;
    }

    /**
     * Known failure: the replaced OPERATOR row (same hash, deleted) is still in api_key, so the projection's INSERT
     * breaks the unique key_hash. Remove that stale row and configure again. When the failed attempt nevertheless
     * stored its event (commands without a transaction), configuring again is a no-op, so the row that event should
     * have produced is written here, as the projection would have.
     */
    private void recoverOperatorKey() {
        String hash = KeySecret.parse(OPERATOR).orElseThrow().hash();
        jdbc.sql("DELETE FROM api_key WHERE key_hash = ? AND deleted").param(hash).update();
        bootstrap.ensureOperatorKey(OPERATOR, dataDir);
        if (api.get("/api/v1/me", OPERATOR).status() == 200) {
            return;
        }
        JsonNode last = JSON.readTree(jdbc.sql("""
                        SELECT convert_from(payload, 'UTF8') FROM domain_event_entry
                        WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1""")
                .param(ConfigureOperatorKey.OPERATOR_KEY_ID).query(String.class).single());
        assertThat(last.path("keyHash").asString()).as("the stored operator key is OPERATOR").isEqualTo(hash);
        jdbc.sql("UPDATE api_key SET deleted = TRUE, deletion_reason = 'REPLACED' WHERE type = 'OPERATOR' AND NOT deleted")
                .update();
        jdbc.sql("""
                        INSERT INTO api_key (key_id, key_hash, type, name, masked_key, created_at)
                        VALUES (?, ?, 'OPERATOR', 'operator', ?, ?)""")
                .params(UUID.fromString(last.path("keyId").asString()), hash, last.path("maskedKey").asString(),
                        Timestamp.from(Instant.parse(last.path("configuredAt").asString())))
                .update();
    }

    private String operatorKeyId() {
        return api.get("/api/v1/me", OPERATOR).text("keyId");
    }

    private long operatorEvents() {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?")
                .param(ConfigureOperatorKey.OPERATOR_KEY_ID).query(Long.class).single();
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
