package keyquota.api.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Replaces the system clock, for the aggregates and the use cases alike. */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

    /**
     * One clock for the whole test JVM: Axon stamps events with one static clock, which every context sets to its
     * own when it starts, so a second context (a test class with settings of its own) must not bring another.
     */
    private static final TestClock CLOCK = new TestClock();

    @Bean
    @Primary
    TestClock testClock() {
        return CLOCK;
    }
}
