package keyquota.api.security;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.api.support.SecretLeaks;
import keyquota.application.secret.KeySecret;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static keyquota.api.support.SecretLeaks.everyValueOfEveryTable;
import static keyquota.api.support.SecretLeaks.leaksIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "The secret is returned once ... and is stored nowhere: not in events, read models, logs or error bodies."
 * Keys of every kind handed out and used here: no answer but the creating one shows a secret, and neither the
 * tables nor the log hold one. The same scans run over every secret of the whole run after its last class
 * ({@link keyquota.api.support.LeakScanAtEnd}); these tests also show that the scans read what matters.
 */
class NoSecretLeakTest extends ApiTest {

    @Autowired
    private JdbcClient jdbc;

    @Test
    void noAnswerButTheCreatingOneShowsASecret() {
        Handout handout = handOutSecrets();

        assertThat(leakingAnswers(handout.answers(), handout.secrets())).isEmpty();
    }

    /** A client that pastes its secret where a key id, a number or a field name belongs gets no echo of it. */
    @Test
    void noErrorBodyEchoesASecretSentWhereItDoesNotBelong() {
        Handout handout = handOutSecrets();

        assertThat(handout.misplaced()).isNotEmpty().allSatisfy(answer -> assertThat(answer.status()).isBetween(400, 499));
        assertThat(leakingAnswers(handout.misplaced(), handout.secrets())).isEmpty();
    }

    private static List<String> leakingAnswers(List<Api.Response> answers, List<String> secrets) {
        return answers.stream().filter(answer -> !leaksIn(answer.raw(), new HashSet<>(secrets)).isEmpty())
                .map(answer -> answer.status() + " " + answer.raw()).toList();
    }

    @Test
    void noSecretIsInAnyColumnOfAnyTable() {
        Set<String> own = withOperator(handOutSecrets().secrets());

        Map<String, List<String>> texts = everyValueOfEveryTable(jdbc);
        assertThat(texts).containsKeys("api_key.key_hash", "domain_event_entry.payload", "token_entry.token",
                "project_member.user_id");
        assertThat(SecretLeaks.inTables(texts, own)).isEmpty();

        // The scan read what matters: the hash of every key handed out here is in the read model and in an event.
        for (String secret : own) {
            String hash = KeySecret.parse(secret).orElseThrow().hash();
            assertThat(texts.get("api_key.key_hash")).as("api_key has the hash").contains(hash);
            assertThat(texts.get("domain_event_entry.payload")).as("an event has the hash")
                    .anyMatch(payload -> payload.contains(hash));
        }
    }

    @Test
    void noSecretIsInTheLog() {
        Set<String> own = withOperator(handOutSecrets().secrets());

        assertThat(SecretLeaks.RUN_LOG).isRegularFile();
        List<String> lines = SecretLeaks.runLog();
        // It is the live log of this run: the operator key's display form, never the key, was logged at start-up.
        assertThat(lines).anyMatch(line -> line.contains(KeySecret.parse(OPERATOR).orElseThrow().masked()));
        assertThat(SecretLeaks.inLog(lines, own)).isEmpty();
    }

    private static Set<String> withOperator(List<String> secrets) {
        Set<String> all = new HashSet<>(secrets);
        all.add(OPERATOR);
        return all;
    }

    @Test
    void theLeakCheckFindsASecretWhereverItIs() {
        String secret = KeySecret.generate(new SecureRandom()).reveal();
        Set<String> secrets = Set.of(secret);

        assertThat(leaksIn("{\"key\":\"" + secret + "\"}", secrets)).containsExactly(secret);
        assertThat(leaksIn("x-api-key=" + secret.substring(3), secrets)).as("without its prefix").containsExactly(secret);
        assertThat(leaksIn("kq_" + secret.substring(3, 35), secrets)).as("without its checksum").containsExactly(secret);
        assertThat(leaksIn(KeySecret.parse(secret).orElseThrow().hash() + " " + KeySecret.parse(secret).get().masked(),
                secrets)).as("its hash and display form are no leak").isEmpty();
    }

    /**
     * @param secrets   the secrets handed out
     * @param answers   every answer after the creating ones
     * @param misplaced the answers to requests that carried a secret where it does not belong
     */
    private record Handout(List<String> secrets, List<Api.Response> answers, List<Api.Response> misplaced) {
    }

    /** Keys of every kind, their changes, and requests that carry secrets where they do not belong. */
    private Handout handOutSecrets() {
        String project = createProject();
        Api.Response admin = memberKeyResponse(project, "admin", "TENANT_ADMIN");
        addMember(project, "alice", "TENANT_USER");
        Api.Response byAdmin = api.post("/api/v1/projects/" + project + "/keys", admin.text("key"),
                Api.json("userId", "alice", "name", "made by the admin"));
        assertThat(byAdmin.status()).as(byAdmin.raw()).isEqualTo(201);
        Api.Response own = api.post("/api/v1/projects/" + project + "/keys", byAdmin.text("key"),
                Api.json("name", "alice's own"));
        assertThat(own.status()).as(own.raw()).isEqualTo(201);
        Api.Response service = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "leak check", "service", "CCS"));
        assertThat(service.status()).as(service.raw()).isEqualTo(201);
        String alice = own.text("key");

        List<Api.Response> answers = new ArrayList<>();
        answers.add(api.post("/api/v1/projects/" + project + "/keys/" + own.text("keyId") + "/extend", alice,
                Api.json("days", 3)));
        answers.add(api.get("/api/v1/projects/" + project + "/keys", admin.text("key")));
        answers.add(api.get("/api/v1/me", alice));
        answers.add(api.post("/api/v1/keys/verify", service.text("key"), Api.json("key", alice)));
        answers.add(api.get("/api/v1/service-keys", OPERATOR));
        List<Api.Response> misplaced = new ArrayList<>();
        String keys = "/api/v1/projects/" + project + "/keys";
        misplaced.add(api.post(keys, alice, Api.json("validDays", alice)));
        misplaced.add(api.post(keys, alice, Api.json("name", "x", "secret", alice)));
        misplaced.add(api.post(keys, alice, Api.json(alice, "pasted as a field name")));
        misplaced.add(api.post(keys, alice, "{\"name\":\"" + alice + "\""));
        misplaced.add(api.get(keys + "/" + alice, alice));
        misplaced.add(api.delete(keys + "/" + alice, alice));
        misplaced.add(api.get(keys + "?cursor=" + alice, alice));
        misplaced.add(api.get(keys + "?status=" + alice, alice));
        misplaced.add(api.post(keys + "/" + own.text("keyId") + "/extend", alice, Api.json("days", alice)));
        misplaced.add(api.post(keys + "/delete", alice, Api.json("keyIds", List.of(alice))));
        misplaced.add(api.get("/api/v1/projects/" + alice, alice));
        // a deleted key presented again, and the verify of a deleted key
        assertThat(api.delete("/api/v1/projects/" + project + "/keys/" + byAdmin.text("keyId"), admin.text("key"))
                .status()).isEqualTo(204);
        answers.add(api.get("/api/v1/me", byAdmin.text("key")));
        answers.add(api.post("/api/v1/keys/verify", service.text("key"), Api.json("key", byAdmin.text("key"))));
        // the member leaves: the rest of their keys die with the membership
        assertThat(api.delete("/api/v1/projects/" + project + "/members/alice", OPERATOR).status()).isEqualTo(204);
        answers.add(api.get("/api/v1/me", alice));

        return new Handout(List.of(admin.text("key"), byAdmin.text("key"), alice, service.text("key")), answers,
                misplaced);
    }

    private Api.Response memberKeyResponse(String project, String userId, String role) {
        addMember(project, userId, role);
        return createKey(project, userId);
    }
}
