package keyquota.domain.operator;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

class OperatorKeyTest {

    private static final Instant CLOCK_TIME = Instant.parse("2026-06-01T08:00:00.750Z");
    private static final Instant NOW = Instant.parse("2026-06-01T08:00:00Z");
    private static final Instant EARLIER = NOW.minusSeconds(86_400);
    private static final UUID FIRST_KEY = UUID.fromString("0f5e6a1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b");
    private static final UUID SECOND_KEY = UUID.fromString("7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d");
    private static final UUID THIRD_KEY = UUID.fromString("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f");

    private FixtureConfiguration<OperatorKey> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(OperatorKey.class);
        fixture.registerInjectableResource(Clock.fixed(CLOCK_TIME, ZoneOffset.UTC));
    }

    private static ConfigureOperatorKey configure(UUID keyId, String hash, boolean replaceExisting) {
        return new ConfigureOperatorKey(keyId, hash, "kq_" + hash + "…" + hash, replaceExisting);
    }

    private static OperatorKeyConfigured configured(UUID keyId, String hash, UUID replacedKeyId, Instant at) {
        return new OperatorKeyConfigured(keyId, hash, "kq_" + hash + "…" + hash, replacedKeyId, at);
    }

    @Test
    void theFirstConfiguredKeyBecomesTheOperatorKey() {
        fixture.givenNoPriorActivity()
                .when(configure(FIRST_KEY, "aaaa", true))
                .expectSuccessfulHandlerExecution()
                .expectEvents(configured(FIRST_KEY, "aaaa", null, NOW))
                .expectResultMessagePayload(true);
    }

    @Test
    void theFirstGeneratedKeyBecomesTheOperatorKey() {
        fixture.givenNoPriorActivity()
                .when(configure(FIRST_KEY, "aaaa", false))
                .expectEvents(configured(FIRST_KEY, "aaaa", null, NOW))
                .expectResultMessagePayload(true);
    }

    @Test
    void configuringTheSameKeyAgainChangesNothing() {
        fixture.given(configured(FIRST_KEY, "aaaa", null, EARLIER))
                .when(configure(SECOND_KEY, "aaaa", true))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(true);
    }

    @Test
    void generatingTheSameKeyAgainChangesNothing() {
        fixture.given(configured(FIRST_KEY, "aaaa", null, EARLIER))
                .when(configure(SECOND_KEY, "aaaa", false))
                .expectNoEvents()
                .expectResultMessagePayload(true);
    }

    @Test
    void aConfiguredKeyReplacesTheCurrentOne() {
        fixture.given(configured(FIRST_KEY, "aaaa", null, EARLIER))
                .when(configure(SECOND_KEY, "bbbb", true))
                .expectEvents(configured(SECOND_KEY, "bbbb", FIRST_KEY, NOW))
                .expectResultMessagePayload(true);
    }

    @Test
    void aReplacementNamesTheKeyItReplacesNotAnEarlierOne() {
        fixture.given(configured(FIRST_KEY, "aaaa", null, EARLIER),
                        configured(SECOND_KEY, "bbbb", FIRST_KEY, EARLIER.plusSeconds(60)))
                .when(configure(THIRD_KEY, "cccc", true))
                .expectEvents(configured(THIRD_KEY, "cccc", SECOND_KEY, NOW))
                .expectResultMessagePayload(true);
    }

    @Test
    void aGeneratedKeyDoesNotReplaceAnExistingOne() {
        fixture.given(configured(FIRST_KEY, "aaaa", null, EARLIER))
                .when(configure(SECOND_KEY, "bbbb", false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(false);
    }

    @Test
    void aReplacedKeyConfiguredAgainBecomesTheOperatorKeyAgain() {
        fixture.given(configured(FIRST_KEY, "aaaa", null, EARLIER),
                        configured(SECOND_KEY, "bbbb", FIRST_KEY, EARLIER.plusSeconds(60)))
                .when(configure(THIRD_KEY, "aaaa", true))
                .expectEvents(configured(THIRD_KEY, "aaaa", SECOND_KEY, NOW))
                .expectResultMessagePayload(true);
    }
}
