package keyquota.api.security;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.application.secret.KeySecret;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "The secret is returned once ... and is stored nowhere: not in events, read models, logs or error bodies."
 * Runs last in the test JVM (see junit-platform.properties), so it checks every secret any test received
 * ({@link Api#SECRETS_SEEN}) plus the operator key; it hands out secrets of its own so that it means
 * something when run alone, too. Within the class, the scans of the tables and the log come last.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoSecretLeakTest extends ApiTest {

    private static final Path RUN_LOG = Path.of("target/test-logs/run.log");

    /** A secret, in any text, lies inside a run of these characters; its 32 random characters are looked for. */
    private static final Pattern WORDS = Pattern.compile("[0-9A-Za-z_]{32,}");

    @Autowired
    private JdbcClient jdbc;

    @Test
    @Order(2)
    void noAnswerButTheCreatingOneShowsASecret() {
        Handout handout = handOutSecrets();

        assertThat(leakingAnswers(handout.answers(), handout.secrets())).isEmpty();
    }

    /** A client that pastes its secret where a key id, a number or a field name belongs gets no echo of it. */
    @Test
    @Order(3)
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
    @Order(4)
    void noSecretIsInAnyColumnOfAnyTable() {
        List<String> own = handOutSecrets().secrets();
        Set<String> secrets = allSecrets();
        assertThat(secrets).containsAll(own);

        Map<String, List<String>> texts = everyValueOfEveryTable();
        List<String> leaks = new ArrayList<>();
        texts.forEach((column, values) -> values.forEach(value -> leaksIn(value, secrets)
                .forEach(secret -> leaks.add(column + " holds " + KeySecret.parse(secret).map(KeySecret::masked)
                        .orElse(secret.substring(0, 7))))));
        assertThat(leaks).isEmpty();

        // The scan read what matters: the hash of every key handed out here is in the read model and in an event.
        for (String secret : own) {
            String hash = KeySecret.parse(secret).orElseThrow().hash();
            assertThat(texts.get("api_key.key_hash")).as("api_key has the hash").contains(hash);
            assertThat(texts.get("domain_event_entry.payload")).as("an event has the hash")
                    .anyMatch(payload -> payload.contains(hash));
        }
        String operatorHash = KeySecret.parse(OPERATOR).orElseThrow().hash();
        assertThat(texts.get("domain_event_entry.payload")).anyMatch(payload -> payload.contains(operatorHash));
    }

    @Test
    @Order(5)
    void noSecretIsInTheLog() throws IOException {
        handOutSecrets();
        Set<String> secrets = allSecrets();

        assertThat(RUN_LOG).isRegularFile();
        List<String> lines = Files.readAllLines(RUN_LOG, StandardCharsets.UTF_8);
        // It is the live log of this run: the operator key's display form, never the key, was logged at start-up.
        assertThat(lines).anyMatch(line -> line.contains(KeySecret.parse(OPERATOR).orElseThrow().masked()));

        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String secret : leaksIn(lines.get(i), secrets)) {
                leaks.add("line " + (i + 1) + " holds " + secret.substring(0, 7) + "…");
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    @Order(1)
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

    private static Set<String> allSecrets() {
        Set<String> secrets = new HashSet<>(Api.SECRETS_SEEN);
        secrets.add(OPERATOR);
        assertThat(secrets).allSatisfy(secret -> assertThat(KeySecret.parse(secret)).as(secret).isPresent());
        return secrets;
    }

    /** Every value of every column of every table in schema public, as text, by "table.column". */
    private Map<String, List<String>> everyValueOfEveryTable() {
        Map<String, List<Map<String, Object>>> columnsByTable = jdbc.sql("""
                        SELECT table_name, column_name, data_type FROM information_schema.columns
                        WHERE table_schema = 'public' ORDER BY table_name, ordinal_position""")
                .query().listOfRows().stream()
                .collect(Collectors.groupingBy(row -> (String) row.get("table_name"), LinkedHashMap::new,
                        Collectors.toList()));
        assertThat(columnsByTable).containsKeys("api_key", "domain_event_entry", "token_entry", "project_member");

        Map<String, List<String>> texts = new LinkedHashMap<>();
        columnsByTable.forEach((table, columns) -> {
            List<String> names = columns.stream().map(c -> (String) c.get("column_name")).toList();
            String select = columns.stream().map(c -> {
                String column = quote((String) c.get("column_name"));
                return ("bytea".equals(c.get("data_type")) ? "convert_from(" + column + ", 'UTF8')" : column + "::text")
                        + " AS " + column;
            }).collect(Collectors.joining(", "));
            names.forEach(name -> texts.put(table + "." + name, new ArrayList<>()));
            jdbc.sql("SELECT " + select + " FROM " + quote(table)).query((rs, n) -> {
                for (int i = 0; i < names.size(); i++) {
                    String value = rs.getString(i + 1);
                    if (value != null) {
                        texts.get(table + "." + names.get(i)).add(value);
                    }
                }
                return n;
            }).list();
        });
        return texts;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The secrets whose 32 random characters appear in the text: with or without prefix and checksum. */
    private static List<String> leaksIn(String text, Set<String> secrets) {
        List<String> found = new ArrayList<>();
        Matcher words = WORDS.matcher(text);
        while (words.find()) {
            String word = words.group();
            for (String secret : secrets) {
                if (word.contains(secret.substring(3, 35))) {
                    found.add(secret);
                }
            }
        }
        return found;
    }
}
