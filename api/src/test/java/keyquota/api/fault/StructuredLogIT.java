package keyquota.api.fault;

import keyquota.api.audit.CorrelationIdFilter;
import keyquota.api.support.Api;
import keyquota.api.support.node.ServiceNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One setting, {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}, turns a node's console into one JSON object a line
 * (Elastic Common Schema) that carries the request's correlation id, and no key's secret is in any of them. The
 * node logs Spring's web layer at TRACE, as an operator chasing a problem might, which writes every request and
 * answer body it reads or writes: even then no secret.
 */
class StructuredLogIT extends FaultTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    void startNode() throws Exception {
        startCluster(Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs", "LOGGING_LEVEL_WEB", "TRACE"), "node");
    }

    @Test
    void everyLineIsJsonWithTheRequestsCorrelationIdAndNoSecret() throws Exception {
        ServiceNode node = nodes.get(0);
        String project = "L" + Long.toString(System.currentTimeMillis(), 36);
        expect(node, "POST", "/api/v1/projects", OPERATOR, Api.json("projectId", project, "name", "Logs"), 201);
        expect(node, "PUT", "/api/v1/projects/" + project + "/members/alice", OPERATOR,
                Api.json("role", "TENANT_USER"), 200);
        String correlationId = "log-" + project;
        Map<String, String> correlated = Map.of(CorrelationIdFilter.HEADER, correlationId);
        Api.Response created = node.send("POST", "/api/v1/projects/" + project + "/keys", OPERATOR,
                Api.json("userId", "alice", "name", "logged"), correlated);
        Api.Response service = node.send("POST", "/api/v1/service-keys", OPERATOR,
                Api.json("name", "logged", "service", CCS), correlated);
        List<String> secrets = List.of(OPERATOR, created.text("key"), service.text("key"));
        Api.Response verified = node.send("POST", "/api/v1/keys/verify", service.text("key"),
                Api.json("key", created.text("key"), "service", CCS), correlated);
        assertThat(List.of(created.status(), service.status(), verified.status())).as("answers")
                .containsExactly(201, 201, 200);
        assertThat(secrets).allMatch(secret -> secret.startsWith("kq_"), "secrets");

        // the request's last line ("Completed 200") is written as the answer goes out
        await().atMost(Duration.ofSeconds(10)).until(() -> log(node).stream().anyMatch(line ->
                line.contains(correlationId) && line.contains("Completed 200")));
        List<String> lines = log(node);
        List<JsonNode> objects = lines.stream().map(StructuredLogIT::parse).toList();
        List<JsonNode> ofRequest = objects.stream()
                .filter(line -> correlationId.equals(line.path("correlationId").asString(null))).toList();

        assertThat(objects).as("the node's output: one JSON object a line").allMatch(JsonNode::isObject);
        assertThat(objects).as("ECS fields").allMatch(line -> line.has("@timestamp")
                && line.path("log").has("level") && line.has("message"));
        assertThat(ofRequest).as("lines with the requests' correlation id")
                .anyMatch(line -> line.path("message").asString().contains("/keys/verify"))
                .anyMatch(line -> line.path("message").asString().contains("Completed 201"));
        for (String secret : secrets) {
            assertThat(lines).as("the node's whole output").noneMatch(line -> line.contains(secret));
        }
    }

    private static List<String> log(ServiceNode node) throws Exception {
        return Files.readAllLines(node.log(), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (RuntimeException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
