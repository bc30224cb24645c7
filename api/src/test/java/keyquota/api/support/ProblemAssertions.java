package keyquota.api.support;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the RFC 9457 problem details every keyquota failure answers with. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    /** The answer is a problem of this status and code, with every member the contract names. */
    public static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.contentType()).as(response.raw()).startsWith("application/problem+json");
        JsonNode body = response.body();
        assertThat(body.path("type").isString()).as("type in %s", response.raw()).isTrue();
        assertThat(body.path("title").isString()).as("title in %s", response.raw()).isTrue();
        assertThat(body.path("status").asInt()).as("status in %s", response.raw()).isEqualTo(status);
        assertThat(body.path("code").isString()).as("code in %s", response.raw()).isTrue();
        if (code != null) {
            assertThat(response.code()).as(response.raw()).isEqualTo(code);
        }
    }

    /** 400 VALIDATION_FAILED naming at least these fields in {@code errors}. */
    public static void assertValidationFailed(Api.Response response, String... fields) {
        assertProblem(response, 400, "VALIDATION_FAILED");
        JsonNode errors = response.body().path("errors");
        assertThat(errors.isArray()).as("errors in %s", response.raw()).isTrue();
        assertThat(errors.size()).as("errors in %s", response.raw()).isPositive();
        for (JsonNode error : errors.values()) {
            assertThat(error.path("field").isString()).as(response.raw()).isTrue();
            assertThat(error.path("message").isString()).as(response.raw()).isTrue();
        }
        if (fields.length > 0) {
            assertThat(errorFields(response)).as(response.raw()).contains(fields);
        }
    }

    public static List<String> errorFields(Api.Response response) {
        List<String> fields = new ArrayList<>();
        for (JsonNode error : response.body().path("errors").values()) {
            fields.add(error.path("field").asString());
        }
        return fields;
    }
}
