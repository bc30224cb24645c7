package keyquota.api.error;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

class ErrorHandlingTest extends ApiTest {

    private static final String PROJECTS = "/api/v1/projects";
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    /** Like {@link Api#send}, but takes any body (bytes, not only text) and any answer (not only JSON). */
    private Api.Response raw(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("content-type").orElse("");
            JsonNode body = JSON.missingNode();
            if (contentType.contains("json") && !response.body().isBlank()) {
                body = JSON.readTree(response.body());
            }
            return new Api.Response(response.statusCode(), contentType, body, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Api.Response send(String method, String path, String key, String contentType, byte[] body) {
        HttpRequest.Builder request = api.request(path, key);
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        return raw(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static String newProjectId() {
        return "E" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private List<String> keyIds(String project) {
        Api.Response list = api.get(PROJECTS + "/" + project + "/keys?limit=100", OPERATOR);
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        return list.body().path("keys").findValuesAsString("keyId");
    }

    // --- request bodies -----------------------------------------------------------------------------------------

    @Test
    void malformedJsonIsValidationFailed() {
        String projectId = newProjectId();

        Api.Response rejected = api.post(PROJECTS, OPERATOR, "{\"projectId\":\"" + projectId + "\",");

        assertValidationFailed(rejected);
        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void anUnknownFieldIsNamedInTheErrors() {
        String projectId = newProjectId();

        Api.Response rejected = api.post(PROJECTS, OPERATOR,
                Api.json("projectId", projectId, "name", "n", "colour", "red"));

        assertValidationFailed(rejected, "colour");
        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void anUnknownFieldOnAKeyIsNamedAndNoKeyIsCreated() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");

        Api.Response rejected = api.post(PROJECTS + "/" + project + "/keys", OPERATOR,
                Api.json("userId", "bob", "expiresAt", "2099-01-01T00:00:00Z"));

        assertValidationFailed(rejected, "expiresAt");
        assertThat(keyIds(project)).isEmpty();
    }

    @Test
    void wrongTypesAreValidationFailed() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createKey(project, "bob");
        String extend = PROJECTS + "/" + project + "/keys/" + created.text("keyId") + "/extend";
        String keys = PROJECTS + "/" + project + "/keys";

        assertValidationFailed(api.post(extend, OPERATOR, "{\"days\":\"5\"}"), "days");
        assertValidationFailed(api.post(extend, OPERATOR, "{\"days\":5.5}"), "days");
        assertValidationFailed(api.post(extend, OPERATOR, "{\"days\":5.0}"), "days");
        assertValidationFailed(api.post(extend, OPERATOR, "{\"days\":true}"), "days");
        assertValidationFailed(api.post(extend, OPERATOR, "{\"days\":[5]}"), "days");
        assertValidationFailed(api.post(keys, OPERATOR, "{\"userId\":\"bob\",\"validDays\":\"30\"}"), "validDays");
        assertValidationFailed(api.post(keys, OPERATOR, "{\"userId\":\"bob\",\"name\":{\"a\":1}}"), "name");
        assertValidationFailed(api.post(keys, OPERATOR, "{\"userId\":[\"bob\"]}"), "userId");
        assertValidationFailed(api.post(PROJECTS, OPERATOR, "{\"projectId\":\"" + newProjectId()
                + "\",\"name\":{\"a\":1}}"), "name");

        assertThat(api.get(keys + "/" + created.text("keyId"), OPERATOR).text("expiresAt"))
                .isEqualTo(created.text("expiresAt"));
        assertThat(keyIds(project)).containsExactly(created.text("keyId"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "4.2", "true", "false"})
    void aNumberOrBooleanForAStringIsValidationFailed(String value) {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        String projectId = newProjectId();

        assertValidationFailed(api.post(PROJECTS + "/" + project + "/keys", OPERATOR,
                "{\"userId\":\"bob\",\"name\":" + value + "}"), "name");
        assertValidationFailed(api.post(PROJECTS, OPERATOR,
                "{\"projectId\":\"" + projectId + "\",\"name\":" + value + "}"), "name");
        assertValidationFailed(api.post("/api/v1/service-keys", OPERATOR, "{\"name\":" + value + "}"), "name");

        assertThat(keyIds(project)).isEmpty();
        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void aMissingBodyIsValidationFailed() {
        String project = createProject();

        assertValidationFailed(send("POST", PROJECTS, OPERATOR, "application/json", null));
        assertValidationFailed(send("POST", PROJECTS, OPERATOR, "application/json", new byte[0]));
        assertValidationFailed(send("POST", PROJECTS + "/" + project + "/keys", OPERATOR, "application/json", null));
        assertValidationFailed(send("PUT", PROJECTS + "/" + project + "/members/bob", OPERATOR, "application/json",
                null));
        assertThat(api.get(PROJECTS + "/" + project + "/members", OPERATOR).body().path("members").size())
                .isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
    void aBodyThatIsNotJsonIsUnsupportedMediaType(String contentType) {
        String projectId = newProjectId();
        byte[] body = Api.json("projectId", projectId, "name", "n").getBytes(StandardCharsets.UTF_8);

        assertProblem(send("POST", PROJECTS, OPERATOR, contentType, body), 415, null);
        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void aBodyWithoutContentTypeIsUnsupportedMediaType() {
        byte[] body = Api.json("projectId", newProjectId(), "name", "n").getBytes(StandardCharsets.UTF_8);

        assertProblem(send("POST", PROJECTS, OPERATOR, null, body), 415, null);
    }

    /** A valid project body padded with whitespace inside the object to exactly this many bytes. */
    private static byte[] paddedProjectBody(String projectId, int size) {
        String head = "{\"projectId\":\"" + projectId + "\",";
        String tail = "\"name\":\"padded\"}";
        return (head + " ".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aBodyOfSixtyFourKibibytesIsAccepted() {
        String projectId = newProjectId();
        byte[] body = paddedProjectBody(projectId, MAX_BODY_BYTES);
        assertThat(body).hasSize(MAX_BODY_BYTES);

        Api.Response created = send("POST", PROJECTS, OPERATOR, "application/json", body);

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
    }

    @Test
    void aLargerBodyWithContentLengthIsTooLarge() {
        String projectId = newProjectId();

        Api.Response refused = send("POST", PROJECTS, OPERATOR, "application/json",
                paddedProjectBody(projectId, MAX_BODY_BYTES + 1));

        assertProblem(refused, 413, null);
        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void aLargerChunkedBodyIsTooLarge() {
        String projectId = newProjectId();
        byte[] body = paddedProjectBody(projectId, MAX_BODY_BYTES * 2);

        Api.Response refused = raw(api.request(PROJECTS, OPERATOR).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertProblem(refused, 413, null);
        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void aSmallChunkedBodyIsAccepted() {
        String projectId = newProjectId();
        byte[] body = Api.json("projectId", projectId, "name", "chunked").getBytes(StandardCharsets.UTF_8);

        Api.Response created = raw(api.request(PROJECTS, OPERATOR).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
    }

    @Test
    void errorsNeverEchoTheSecretThatWasSent() {
        String project = createProject();
        String secret = keyFor(project, memberOf(project));

        for (String body : List.of("{\"key\":\"" + secret + "\",\"extra\":1}", "{\"key\":[\"" + secret + "\"]}",
                "{\"key\":\"" + secret + "\"", "{\"key\":{\"" + secret + "\":1}}")) {
            Api.Response rejected = api.post("/api/v1/keys/verify", OPERATOR, body);

            assertValidationFailed(rejected);
            assertThat(rejected.raw()).as(body).doesNotContain(secret).doesNotContain(secret.substring(3, 35));
        }
    }

    private String memberOf(String project) {
        addMember(project, "bob", "TENANT_USER");
        return "bob";
    }

    // --- paths and methods --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/nothing", "/api/v2/projects", "/api", "/api/v1/projects/x/keys/y/z/w",
            "/api/v1/projects/x/unknown"})
    void anUnknownPathIsNotFound(String path) {
        assertProblem(api.get(path, OPERATOR), 404, "NOT_FOUND");
    }

    @Test
    void aWrongMethodIsMethodNotAllowed() {
        String project = createProject();
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);

        assertProblem(send("DELETE", PROJECTS, OPERATOR, null, null), 405, null);
        assertProblem(send("PATCH", PROJECTS + "/" + project, OPERATOR, "application/json", empty), 405, null);
        assertProblem(send("PUT", "/api/v1/me", OPERATOR, "application/json", empty), 405, null);
        assertProblem(send("GET", "/api/v1/keys/verify", OPERATOR, null, null), 405, null);
        assertProblem(send("POST", PROJECTS + "/" + project + "/members", OPERATOR, "application/json", empty), 405,
                null);
    }

    @Test
    void aRejectedRequestLeavesNoTrace() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        for (int i = 0; i < 5; i++) {
            createKey(project, "bob");
        }
        List<String> before = keyIds(project);
        String keys = PROJECTS + "/" + project + "/keys";
        Api.Response firstKey = api.get(keys + "/" + before.get(0), OPERATOR);

        assertProblem(api.post(keys, OPERATOR, Api.json("userId", "bob")), 409, "KEY_LIMIT_REACHED");
        assertValidationFailed(api.post(keys, OPERATOR, Api.json("userId", "bob", "validDays", 0)));
        assertValidationFailed(api.post(keys, OPERATOR, Api.json("userId", "bob", "bogus", 1)));
        assertProblem(api.post(keys, OPERATOR, Api.json("userId", "carol")), 404, "MEMBER_NOT_FOUND");
        assertValidationFailed(api.post(keys + "/" + before.get(0) + "/extend", OPERATOR, Api.json("days", 0)));
        assertValidationFailed(api.post(keys + "/" + before.get(0) + "/extend", OPERATOR, "{\"days\":\"9\"}"));
        assertValidationFailed(api.put(PROJECTS + "/" + project + "/members/bob", OPERATOR, Api.json("role", "X")));

        assertThat(keyIds(project)).containsExactlyElementsOf(before);
        assertThat(api.get(keys + "/" + before.get(0), OPERATOR).raw()).isEqualTo(firstKey.raw());
        Api.Response members = api.get(PROJECTS + "/" + project + "/members", OPERATOR);
        assertThat(members.body().path("members").findValuesAsString("userId")).containsExactly("bob");
        assertThat(members.body().path("members").findValuesAsString("role")).containsExactly("TENANT_USER");
    }

    // --- health and description ---------------------------------------------------------------------------------

    @Test
    void healthAnswersWithoutAKey() {
        Api.Response health = api.get("/actuator/health", null);

        assertThat(health.status()).as(health.raw()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
        List<String> groups = new ArrayList<>();
        for (JsonNode group : health.body().path("groups").values()) {
            groups.add(group.asString());
        }
        assertThat(groups).contains("liveness", "readiness");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health/liveness", "/actuator/health/readiness"})
    void livenessAndReadinessAnswerWithoutAKey(String path) {
        Api.Response probe = api.get(path, null);

        assertThat(probe.status()).as(probe.raw()).isEqualTo(200);
        assertThat(probe.text("status")).isEqualTo("UP");
    }

    @Test
    void healthAnswersEvenWithABadKey() {
        assertThat(api.get("/actuator/health", "garbage").status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness", "kq_nonsense").status()).isEqualTo(200);
    }

    @Test
    void theApiDescriptionAnswersWithoutAKey() {
        Api.Response docs = api.get("/v3/api-docs", null);

        assertThat(docs.status()).as(docs.raw()).isEqualTo(200);
        assertThat(docs.text("openapi")).startsWith("3.");
        assertThat(docs.body().path("paths").propertyNames()).contains(
                "/api/v1/projects", "/api/v1/projects/{projectId}", "/api/v1/projects/{projectId}/members/{userId}",
                "/api/v1/projects/{projectId}/keys", "/api/v1/projects/{projectId}/keys/{keyId}/extend",
                "/api/v1/projects/{projectId}/keys/delete", "/api/v1/me", "/api/v1/keys/verify",
                "/api/v1/service-keys");
    }

    @Test
    void otherActuatorEndpointsAreNotOpen() {
        assertProblem(api.get("/actuator/env", null), 401, "UNAUTHENTICATED");
        assertThat(api.get("/actuator/env", OPERATOR).status()).isEqualTo(404);
    }

    // --- fuzz ---------------------------------------------------------------------------------------------------

    private static Arguments body(String name, String body) {
        return Arguments.of(Named.of(name, body.getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<Arguments> oddKeyBodies() {
        return Stream.of(
                body("null", "null"),
                body("an array", "[]"),
                body("a string", "\"str\""),
                body("a number", "42"),
                body("true", "true"),
                body("an empty object", "{}"),
                body("a deeply nested value", "{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
                body("deeply nested arrays", "[".repeat(20000) + "]".repeat(20000)),
                body("deeply nested objects", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)),
                body("a huge exponent", "{\"userId\":\"bob\",\"validDays\":1e400}"),
                body("a huge integer", "{\"userId\":\"bob\",\"validDays\":99999999999}"),
                body("a huger integer", "{\"userId\":\"bob\",\"validDays\":" + "9".repeat(5000) + "}"),
                body("a float", "{\"userId\":\"bob\",\"validDays\":30.0}"),
                body("NaN", "{\"userId\":\"bob\",\"validDays\":NaN}"),
                body("trailing garbage", "{\"userId\":\"bob\"}garbage"),
                body("two documents", "{\"userId\":\"bob\"}{\"userId\":\"bob\"}"),
                body("truncated", "{\"userId\":\"bob\""),
                body("an operator object as userId", "{\"userId\":{\"$ne\":null}}"),
                body("a path as userId", "{\"userId\":\"../bob\"}"),
                body("a too long name", "{\"userId\":\"bob\",\"name\":\"" + "é".repeat(20000) + "\"}"),
                body("a comment", "{/* hi */\"userId\":\"bob\"}"),
                body("single quotes", "{'userId':'bob'}"),
                body("an unquoted field", "{userId:\"bob\"}"),
                body("a bad escape", "{\"userId\":\"b\\qob\"}"),
                Arguments.of(Named.of("invalid UTF-8", concat("{\"userId\":\"bob\",\"name\":\"",
                        new byte[]{(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, "\"}"))));
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] a = head.getBytes(StandardCharsets.UTF_8);
        byte[] c = tail.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddKeyBodies")
    void anOddKeyBodyIsValidationFailedAndCreatesNothing(byte[] body) {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");

        Api.Response rejected = send("POST", PROJECTS + "/" + project + "/keys", OPERATOR, "application/json", body);

        assertValidationFailed(rejected);
        assertThat(keyIds(project)).isEmpty();
    }

    static Stream<Arguments> oddExtendBodies() {
        return Stream.of(
                body("days of 99999999999", "{\"days\":99999999999}"),
                body("days of 1e400", "{\"days\":1e400}"),
                body("days of -1e400", "{\"days\":-1e400}"),
                body("days as a huge decimal", "{\"days\":1" + "0".repeat(400) + ".5}"),
                body("days of Infinity", "{\"days\":Infinity}"),
                body("days as an object", "{\"days\":{}}"),
                body("null", "null"),
                body("an array of days", "[{\"days\":5}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddExtendBodies")
    void anOddExtendBodyIsValidationFailedAndChangesNothing(byte[] body) {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        Api.Response created = createKey(project, "bob");
        String path = PROJECTS + "/" + project + "/keys/" + created.text("keyId");

        assertValidationFailed(send("POST", path + "/extend", OPERATOR, "application/json", body));
        assertThat(api.get(path, OPERATOR).text("expiresAt")).isEqualTo(created.text("expiresAt"));
    }

    static Stream<Arguments> oddButHarmlessNames() {
        return Stream.of(
                Arguments.of(Named.of("emoji and right-to-left marks", "🔑 名前 \u202e gnirts"), 201),
                // PostgreSQL's text cannot hold NUL: the one character a name may not contain
                Arguments.of(Named.of("a NUL character", "before\u0000after"), 400),
                Arguments.of(Named.of("control characters", "tab\there\u0007bell\u001b[31m"), 201),
                Arguments.of(Named.of("a lone surrogate", "broken\ud800pair"), 201),
                Arguments.of(Named.of("markup", "<script>alert(1)</script>'; DROP TABLE api_key;--"), 201));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddButHarmlessNames")
    void anOddKeyNameIsStoredOrRejectedButNeverAServerError(String name, int expected) {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");

        Api.Response answer = api.post(PROJECTS + "/" + project + "/keys", OPERATOR,
                Api.json("userId", "bob", "name", name));

        assertThat(answer.status()).as(answer.raw()).isEqualTo(expected);
        if (answer.status() == 201) {
            Api.Response fetched = api.get(PROJECTS + "/" + project + "/keys/" + answer.text("keyId"), OPERATOR);
            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.text("name")).isEqualTo(answer.text("name"));
        } else {
            assertValidationFailed(answer, "name");
            assertThat(keyIds(project)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddButHarmlessNames")
    void anOddServiceKeyNameIsStoredOrRejectedButNeverAServerError(String name, int expected) {
        Api.Response answer = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", name, "service", "CCS"));

        assertThat(answer.status()).as(answer.raw()).isEqualTo(expected);
        if (answer.status() == 201) {
            assertThat(api.get("/api/v1/me", answer.text("key")).status()).isEqualTo(200);
        } else {
            assertValidationFailed(answer, "name");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddButHarmlessNames")
    void anOddProjectNameIsStoredOrRejectedButNeverAServerError(String name, int expected) {
        String projectId = newProjectId();

        Api.Response answer = api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", name));

        assertThat(answer.status()).as(answer.raw()).isEqualTo(expected);
        if (answer.status() == 201) {
            assertThat(api.get(PROJECTS + "/" + projectId, OPERATOR).text("name")).isEqualTo(answer.text("name"));
        } else {
            assertValidationFailed(answer, "name");
            assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /error",
            "POST /error",
            "GET /api/v1/projects/%2e%2e/%2e%2e/actuator/env",
            "GET /api/v1/projects/x;jsessionid=1",
            "GET /api/v1/projects/%E4%B8%AD%F0%9F%94%91/keys",
            "GET /api/v1//projects",
            "GET /api/v1/projects/P/keys?limit=99999999999999999999999",
            "GET /api/v1/projects/P/keys?cursor=%FF",
            "GET /api/v1/projects/P/keys?status=%00",
            "GET /api/v1/projects/P/keys/%20",
            "GET /api/v1/projects/P/keys/00000000-0000-0000-0000-00000000000000",
            "GET /api/v1/projects/P/keys?userId=%C0%AF",
            "GET /api/v1/projects/P/keys?limit=%F0%9F%94%91",
            "PUT /api/v1/projects/P/members/%F0%9F%94%91"})
    void anOddPathIsAClientErrorNeverAServerError(String request) {
        Api.Response answer = sendLine(request);

        assertThat(answer.status()).as(answer.raw()).isBetween(400, 499);
        assertProblem(answer, answer.status(), null);
    }

    /** Paths the web server itself refuses before any routing: they too must be answered as problem details. */
    @ParameterizedTest
    @ValueSource(strings = {
            "GET /api/v1/projects/%00",
            "GET /api/v1/projects/..%2F..%2Fetc%2Fpasswd",
            "DELETE /api/v1/projects/P/members/a%2Fb",
            "DELETE /api/v1/service-keys/%00"})
    void aPathRefusedBeforeRoutingIsStillAProblem(String request) {
        Api.Response answer = sendLine(request);

        assertThat(answer.status()).as(answer.raw()).isBetween(400, 499);
        assertProblem(answer, answer.status(), null);
        if (answer.status() == 400) {
            assertProblem(answer, 400, "VALIDATION_FAILED");
            assertThat(answer.body().path("errors").path(0).path("field").asString()).isEqualTo("request");
        }
    }

    /** An operation that takes no body refuses one it cannot take, before it changes anything. */
    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"foo\":1}", "[1]", "\"x\"", "1"})
    void aBodyWhereNoneIsTakenIsValidationFailedAndChangesNothing(String body) {
        String projectId = createProject();
        addMember(projectId, "bob", "TENANT_USER");
        String key = "/api/v1/projects/" + projectId + "/keys/" + createKey(projectId, "bob").text("keyId");

        assertProblem(api.post(key + "/disable", OPERATOR, body), 400, "VALIDATION_FAILED");
        assertThat(api.get(key, OPERATOR).text("status")).isEqualTo("ACTIVE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}"})
    void noBodyOrAnEmptyObjectIsTakenWhereNoneIsTaken(String body) {
        String projectId = createProject();
        addMember(projectId, "bob", "TENANT_USER");
        String key = "/api/v1/projects/" + projectId + "/keys/" + createKey(projectId, "bob").text("keyId");

        Api.Response disabled = api.post(key + "/disable", OPERATOR, body);
        assertThat(disabled.status()).as(disabled.raw()).isEqualTo(200);
        assertThat(disabled.text("status")).isEqualTo("DISABLED");
    }

    /** Times are RFC 3339 strings: a number (epoch seconds or milliseconds to Jackson and Spring) is a wrong type. */
    @Test
    void aNumberForATimeIsValidationFailed() {
        String projectId = createProject();
        assertProblem(api.get("/api/v1/projects/" + projectId + "/quotas/CCS?asOf=1796601600000", OPERATOR), 400,
                "VALIDATION_FAILED");
        assertProblem(api.get("/api/v1/audit?projectId=" + projectId + "&from=1796601600", OPERATOR), 400,
                "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/projects/" + projectId + "/quotas/CCS/allocations/reconcile", OPERATOR,
                "{\"listedAt\":1796601600,\"allocationIds\":[]}"), 400, "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/projects/" + projectId + "/quotas/CCS/allocations/reconcile", OPERATOR,
                "{\"listedAt\":\"2026-12-01T08:00:00\",\"allocationIds\":[]}"), 400, "VALIDATION_FAILED");
        Api.Response withOffset = api.post("/api/v1/projects/" + projectId + "/quotas/CCS/allocations/reconcile",
                OPERATOR, "{\"listedAt\":\"2020-12-01T16:00:00+08:00\",\"allocationIds\":[]}");
        assertThat(withOffset.status()).as(withOffset.raw()).isEqualTo(200);
    }

    private Api.Response sendLine(String request) {
        String method = request.substring(0, request.indexOf(' '));
        String path = request.substring(request.indexOf(' ') + 1);
        return send(method, path, OPERATOR, method.equals("PUT") ? "application/json" : null,
                method.equals("PUT") ? "{\"role\":\"TENANT_USER\"}".getBytes(StandardCharsets.UTF_8) : null);
    }

    // --- a failed request changes nothing -----------------------------------------------------------------------

    @Test
    void aProjectWhoseCreationFailedCanStillBeCreated() {
        String projectId = newProjectId();
        Api.Response failed = api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "nul\u0000"));
        assertThat(failed.status()).as(failed.raw()).isNotEqualTo(201);

        Api.Response created = api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "second try"));

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(api.get(PROJECTS + "/" + projectId, OPERATOR).text("name")).isEqualTo("second try");
    }

    @Test
    void keysWhoseCreationFailedDoNotCountTowardsTheLimit() {
        String project = createProject();
        addMember(project, "bob", "TENANT_USER");
        for (int i = 0; i < 5; i++) {
            Api.Response failed = api.post(PROJECTS + "/" + project + "/keys", OPERATOR,
                    Api.json("userId", "bob", "name", "nul\u0000" + i));
            assertThat(failed.status()).as(failed.raw()).isNotEqualTo(201);
        }

        Api.Response created = api.post(PROJECTS + "/" + project + "/keys", OPERATOR, Api.json("userId", "bob"));

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(keyIds(project)).containsExactly(created.text("keyId"));
    }
}
