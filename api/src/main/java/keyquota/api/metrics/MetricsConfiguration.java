package keyquota.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * keyquota's own metrics beside Boot's (HTTP server, JVM, Hikari), all named {@code keyquota.*}: commands and quota
 * refusals here, verifications and authentications where they are decided ({@code Authenticator}), the state of
 * processors and keys in {@link StateMetrics}. Served at /actuator/prometheus, to the operator key only.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    ConfigurerModule commandMetrics(MeterRegistry meters) {
        CommandMetrics monitor = new CommandMetrics(meters);
        return configurer -> configurer.configureMessageMonitor(CommandBus.class, c -> monitor);
    }
}
