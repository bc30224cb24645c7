package keyquota.domain.project;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static keyquota.domain.Rejections.invalidValue;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectTest {

    private static final Instant CLOCK_TIME = Instant.parse("2026-06-01T08:00:00.750Z");
    private static final Instant NOW = Instant.parse("2026-06-01T08:00:00Z");

    private FixtureConfiguration<Project> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Project.class);
        fixture.registerInjectableResource(Clock.fixed(CLOCK_TIME, ZoneOffset.UTC));
    }

    @Test
    void creatingAProjectRecordsItsIdNameAndCreationTimeInWholeSeconds() {
        fixture.givenNoPriorActivity()
                .when(new CreateProject("GOV108001", "Climate models"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ProjectCreated("GOV108001", "Climate models", NOW));
    }

    @Test
    void theProjectIsIdentifiedByItsProjectId() {
        fixture.givenNoPriorActivity()
                .when(new CreateProject("GOV108001", "Climate models"))
                .expectState(project -> assertThat(project).extracting("projectId").isEqualTo("GOV108001"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"G", "-GOV", "GOV/1", "GOV:1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "計畫"})
    void aProjectIdOfAnotherShapeIsRefused(String projectId) {
        fixture.givenNoPriorActivity()
                .when(new CreateProject(projectId, "Climate models"))
                .expectException(invalidValue("projectId"))
                .expectNoEvents();
    }
}
