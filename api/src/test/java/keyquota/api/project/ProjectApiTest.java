package keyquota.api.project;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static keyquota.api.support.ProblemAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectApiTest extends ApiTest {

    private static final String PROJECTS = "/api/v1/projects";

    private static String newProjectId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void theOperatorCreatesAProjectAndGetsItsIdNameAndCreationTime() {
        String projectId = newProjectId("GOV");

        Api.Response created = api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "Genome lab"));

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.body().propertyNames()).containsExactlyInAnyOrder("projectId", "name", "createdAt");
        assertThat(created.text("projectId")).isEqualTo(projectId);
        assertThat(created.text("name")).isEqualTo("Genome lab");
        Instant createdAt = Instant.parse(created.text("createdAt"));
        assertThat(Duration.between(createdAt, clock.instant()).abs()).isLessThan(Duration.ofMinutes(1));

        Api.Response fetched = api.get(PROJECTS + "/" + projectId, OPERATOR);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.text("projectId")).isEqualTo(projectId);
        assertThat(fetched.text("name")).isEqualTo("Genome lab");
        assertThat(fetched.text("createdAt")).isEqualTo(created.text("createdAt"));
    }

    @Test
    void creatingAnExistingProjectIsAConflictAndKeepsTheFirstName() {
        String projectId = newProjectId("DUP");
        assertThat(api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "first")).status())
                .isEqualTo(201);

        Api.Response again = api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "second"));

        assertProblem(again, 409, "PROJECT_EXISTS");
        assertThat(api.get(PROJECTS + "/" + projectId, OPERATOR).text("name")).isEqualTo("first");
    }

    @Test
    void projectIdsAreCaseSensitive() {
        String projectId = newProjectId("case");
        assertThat(api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "lower")).status())
                .isEqualTo(201);
        assertProblem(api.get(PROJECTS + "/" + projectId.toUpperCase(), OPERATOR), 404, "PROJECT_NOT_FOUND");

        Api.Response upper = api.post(PROJECTS, OPERATOR,
                Api.json("projectId", projectId.toUpperCase(), "name", "upper"));

        assertThat(upper.status()).as(upper.raw()).isEqualTo(201);
        assertThat(api.get(PROJECTS + "/" + projectId, OPERATOR).text("name")).isEqualTo("lower");
    }

    @Test
    void projectIdsOfTwoAndOfSixtyFourCharactersAreAccepted() {
        String shortest = UUID.randomUUID().toString().substring(0, 2);
        String longest = ("L" + UUID.randomUUID().toString().replace("-", "") + "_-" + "x".repeat(64)).substring(0, 64);

        assertThat(api.post(PROJECTS, OPERATOR, Api.json("projectId", shortest, "name", "n")).status()).isEqualTo(201);
        assertThat(api.post(PROJECTS, OPERATOR, Api.json("projectId", longest, "name", "n")).status()).isEqualTo(201);
        assertThat(api.get(PROJECTS + "/" + longest, OPERATOR).text("projectId")).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "_underscore-first", "-dash-first", "has space", "bad!char", "dot.ted",
            "slash/id", "中文", "x1234567890123456789012345678901234567890123456789012345678901234"})
    void aMalformedProjectIdIsRejected(String projectId) {
        Api.Response rejected = api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "n"));

        assertValidationFailed(rejected, "projectId");
        assertThat(rejected.body().path("errors").size()).isEqualTo(1);
    }

    @Test
    void aProjectIdStartingWithUnderscoreIsNotCreated() {
        String projectId = "_" + newProjectId("u");
        assertValidationFailed(api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "n")),
                "projectId");
        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void aMissingProjectIdIsRejected() {
        assertValidationFailed(api.post(PROJECTS, OPERATOR, Api.json("name", "n")), "projectId");
        assertValidationFailed(api.post(PROJECTS, OPERATOR, "{\"projectId\":null,\"name\":\"n\"}"), "projectId");
    }

    @Test
    void aMissingEmptyOrTooLongNameIsRejectedAndNothingIsCreated() {
        String projectId = newProjectId("name");

        assertValidationFailed(api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId)), "name");
        assertValidationFailed(api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "")), "name");
        assertValidationFailed(api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", "n".repeat(101))),
                "name");

        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void bothFieldsAtFaultAreNamed() {
        Api.Response rejected = api.post(PROJECTS, OPERATOR, Api.json("projectId", "_", "name", ""));

        assertValidationFailed(rejected, "projectId", "name");
    }

    @Test
    void aNameOfOneHundredCharactersIncludingNonAsciiIsAccepted() {
        String projectId = newProjectId("long");
        String name = "計算資源".repeat(25);

        Api.Response created = api.post(PROJECTS, OPERATOR, Api.json("projectId", projectId, "name", name));

        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(api.get(PROJECTS + "/" + projectId, OPERATOR).text("name")).isEqualTo(name);
    }

    @Test
    void aMemberKeyCannotCreateProjects() {
        String project = createProject();
        String admin = memberKey(project, "admin", "TENANT_ADMIN");
        String projectId = newProjectId("mine");

        Api.Response refused = api.post(PROJECTS, admin, Api.json("projectId", projectId, "name", "n"));

        assertProblem(refused, 403, "FORBIDDEN");
        assertProblem(api.get(PROJECTS + "/" + projectId, OPERATOR), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void membersOfAnyRoleGetTheirProject() {
        String project = createProject();
        String admin = memberKey(project, "admin", "TENANT_ADMIN");
        String user = memberKey(project, "user", "TENANT_USER");

        for (String key : new String[]{OPERATOR, admin, user}) {
            Api.Response fetched = api.get(PROJECTS + "/" + project, key);
            assertThat(fetched.status()).as(fetched.raw()).isEqualTo(200);
            assertThat(fetched.text("projectId")).isEqualTo(project);
            assertThat(fetched.text("name")).isEqualTo("Project " + project);
            assertThat(fetched.text("createdAt")).isNotEmpty();
        }
    }

    @Test
    void aMemberOfAnotherProjectSeesItAsNotFound() {
        String mine = createProject();
        String theirs = createProject();
        String admin = memberKey(mine, "admin", "TENANT_ADMIN");

        assertProblem(api.get(PROJECTS + "/" + theirs, admin), 404, "PROJECT_NOT_FOUND");
        assertProblem(api.get(PROJECTS + "/" + newProjectId("none"), admin), 404, "PROJECT_NOT_FOUND");
    }

    @Test
    void anUnknownProjectIsNotFoundForTheOperator() {
        assertProblem(api.get(PROJECTS + "/" + newProjectId("none"), OPERATOR), 404, "PROJECT_NOT_FOUND");
    }
}
