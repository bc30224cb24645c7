package keyquota.domain.servicekey;

import keyquota.domain.ErrorCode;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static keyquota.domain.Rejections.invalidValue;
import static keyquota.domain.Rejections.rejectedWith;

class ServiceKeyTest {

    private static final Instant CLOCK_TIME = Instant.parse("2026-06-01T08:00:00.750Z");
    private static final Instant NOW = Instant.parse("2026-06-01T08:00:00Z");
    private static final UUID KEY_ID = UUID.fromString("5b3c1a52-8f0e-4c41-9a37-2d4f6e8b9c10");
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String MASKED = "kq_Ab1…xY9z";

    private FixtureConfiguration<ServiceKey> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ServiceKey.class);
        fixture.registerInjectableResource(Clock.fixed(CLOCK_TIME, ZoneOffset.UTC));
        fixture.registerInjectableResource(ServiceCatalog.TWCC);
    }

    private static ServiceKeyCreated created(String service) {
        return new ServiceKeyCreated(KEY_ID, "ccs-gateway", service, HASH, MASKED, NOW.minusSeconds(3600));
    }

    @Test
    void aKeyForTheContainerComputeServiceIsCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateServiceKey(KEY_ID, "ccs-gateway", "CCS", HASH, MASKED))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ServiceKeyCreated(KEY_ID, "ccs-gateway", "CCS", HASH, MASKED, NOW));
    }

    @Test
    void aKeyForTheVirtualComputeServiceIsCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateServiceKey(KEY_ID, "vcs-gateway", "VCS", HASH, MASKED))
                .expectEvents(new ServiceKeyCreated(KEY_ID, "vcs-gateway", "VCS", HASH, MASKED, NOW));
    }

    @Test
    void aKeyWithoutAServiceIsCreatedForEveryService() {
        fixture.givenNoPriorActivity()
                .when(new CreateServiceKey(KEY_ID, "billing", null, HASH, MASKED))
                .expectEvents(new ServiceKeyCreated(KEY_ID, "billing", null, HASH, MASKED, NOW));
    }

    @Test
    void anUnknownServiceIsInvalid() {
        fixture.givenNoPriorActivity()
                .when(new CreateServiceKey(KEY_ID, "hpc-gateway", "HPC", HASH, MASKED))
                .expectException(invalidValue("service"))
                .expectNoEvents();
    }

    @Test
    void serviceNamesAreCaseSensitive() {
        fixture.givenNoPriorActivity()
                .when(new CreateServiceKey(KEY_ID, "ccs-gateway", "ccs", HASH, MASKED))
                .expectException(invalidValue("service"))
                .expectNoEvents();
    }

    @Test
    void deletingAServiceKeyRecordsItsDeletion() {
        fixture.given(created("CCS"))
                .when(new DeleteServiceKey(KEY_ID))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ServiceKeyDeleted(KEY_ID));
    }

    @Test
    void deletingAServiceKeyTwiceIsRefused() {
        fixture.given(created(null), new ServiceKeyDeleted(KEY_ID))
                .when(new DeleteServiceKey(KEY_ID))
                .expectException(rejectedWith(ErrorCode.KEY_NOT_FOUND))
                .expectNoEvents();
    }
}
