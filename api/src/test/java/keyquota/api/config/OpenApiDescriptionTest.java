package keyquota.api.config;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served description is the committed copy that .ci/lint-openapi lints and reviewers read, so a change to the
 * API's description shows in the diff. {@code -Dkeyquota.openapi.update=true} writes the served one over the copy.
 */
class OpenApiDescriptionTest extends ApiTest {

    /** Relative to the api module, where Maven runs its tests. */
    static final Path COPY = Path.of("src/test/resources/openapi/keyquota.json");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void theServedDescriptionIsTheCommittedCopy() throws IOException {
        Api.Response served = api.get("/v3/api-docs", null);
        assertThat(served.status()).as(served.raw()).isEqualTo(200);
        String description = JSON.writeValueAsString(sorted(served.body())) + "\n";

        if (Boolean.getBoolean("keyquota.openapi.update")) {
            Files.createDirectories(COPY.getParent());
            Files.writeString(COPY, description, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COPY) ? Files.readString(COPY, StandardCharsets.UTF_8) : "";
        assertThat(description)
                .as("The served description differs from api/%s. If the change is meant, write it over the copy "
                        + "with: mvn -B -q -pl api -am test -Dtest=OpenApiDescriptionTest "
                        + "-Dsurefire.failIfNoSpecifiedTests=false -Dkeyquota.openapi.update=true, "
                        + "then run .ci/lint-openapi and commit the copy", COPY)
                .isEqualTo(committed);
    }

    @Test
    void springsErrorPathIsNoOperation() {
        assertThat(api.get("/v3/api-docs", null).body().path("paths").has("/error")).isFalse();
    }

    /** Object members in key order (arrays keep theirs), so that the copy's diff shows changes, not reordering. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> members = new TreeMap<>();
            node.properties().forEach(member -> members.put(member.getKey(), sorted(member.getValue())));
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            members.forEach(object::set);
            return object;
        }
        if (node.isArray()) {
            var array = JsonNodeFactory.instance.arrayNode();
            node.values().forEach(item -> array.add(sorted(item)));
            return array;
        }
        return node;
    }
}
