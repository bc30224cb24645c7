package keyquota.api.error;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A Content-Type or Accept the API cannot honour is 415 or 406 as problem details, and changes nothing. */
class MediaTypeTest extends ApiTest {

    private Api.Response createProject(String projectId, String contentType, String accept) {
        HttpRequest.Builder request = api.request("/api/v1/projects", OPERATOR)
                .POST(HttpRequest.BodyPublishers.ofString(Api.json("projectId", projectId, "name", "n")));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        if (accept != null) {
            request.header("accept", accept);
        }
        return api.send(request);
    }

    private static String newProjectId() {
        return "M" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "text/*", "application/*", "*/json", ";;;", "application",
            "application/json; charset=bogus", "application/json; charset=\"no such\"", "/json",
            "multipart/form-data", "multipart/form-data; boundary=x"})
    void aWildcardOrMalformedContentTypeIsUnsupportedAndCreatesNothing(String contentType) {
        String projectId = newProjectId();

        assertProblem(createProject(projectId, contentType, null), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(api.get("/api/v1/projects/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void aWildcardContentTypeOnVerifyIsUnsupported() {
        HttpRequest.Builder request = api.request("/api/v1/keys/verify", OPERATOR)
                .header("content-type", "*/*")
                .POST(HttpRequest.BodyPublishers.ofString(Api.json("key", "x")));

        assertProblem(api.send(request), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=UTF-8", "application/json;charset=utf-8"})
    void jsonWithOrWithoutAKnownCharsetIsTaken(String contentType) {
        assertThat(createProject(newProjectId(), contentType, null).status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "application/xml", "image/*", "garbage", "application/json;q=0", ";;;",
            "*/*;q=abc", "application/json;charset=bogus"})
    void anAcceptWithoutJsonIsNotAcceptableAndCreatesNothing(String accept) {
        String projectId = newProjectId();

        assertProblem(createProject(projectId, "application/json", accept), 406, "NOT_ACCEPTABLE");
        assertProblem(api.get("/api/v1/projects/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "application/*", "application/json", "application/problem+json",
            "text/html, application/xhtml+xml, */*;q=0.8"})
    void anAcceptThatTakesJsonIsServed(String accept) {
        assertThat(createProject(newProjectId(), "application/json", accept).status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", ";;;", "*/*;q=abc"})
    void aMalformedAcceptOutsideTheApiIsNotAcceptableToo(String accept) {
        HttpRequest.Builder request = api.request("/actuator/health", null).header("accept", accept).GET();

        assertProblem(api.send(request), 406, "NOT_ACCEPTABLE");
    }

    @Test
    void aGetWithAnAcceptWithoutJsonIsNotAcceptable() {
        HttpRequest.Builder request = api.request("/api/v1/me", OPERATOR).header("accept", "text/plain").GET();

        assertProblem(api.send(request), 406, "NOT_ACCEPTABLE");
    }
}
