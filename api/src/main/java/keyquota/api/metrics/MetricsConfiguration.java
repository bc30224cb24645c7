package keyquota.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import keyquota.domain.quota.UsageBatch;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.AggregateConfiguration;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * keyquota's own metrics beside Boot's (HTTP server, JVM, Hikari), all named {@code keyquota.*}: commands and quota
 * refusals here, verifications and authentications where they are decided ({@code Authenticator}), the state of
 * processors and keys in {@link StateMetrics}. Served at /actuator/prometheus, to the operator key only.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    ConfigurerModule commandMetrics(MeterRegistry meters, ServiceCatalog catalog) {
        CommandMetrics monitor = new CommandMetrics(meters);
        return configurer -> {
            configurer.configureMessageMonitor(CommandBus.class, c -> monitor);
            configurer.onInitialize(config -> config.onStart(() -> monitor.startAtZero(commandTypes(config), catalog)));
        };
    }

    /**
     * The commands the aggregates handle: the first parameter of each of their command handlers; a batch of
     * allocations and releases is timed as its changes.
     */
    private static Set<Class<?>> commandTypes(Configuration config) {
        Set<Class<?>> types = new TreeSet<>(Comparator.comparing(Class::getName));
        for (AggregateConfiguration<?> aggregate : config.findModules(AggregateConfiguration.class)) {
            Stream.concat(Arrays.stream(aggregate.aggregateType().getDeclaredMethods()),
                            Arrays.stream(aggregate.aggregateType().getDeclaredConstructors()))
                    .filter(handler -> handler.isAnnotationPresent(CommandHandler.class))
                    .filter(handler -> handler.getParameterCount() > 0)
                    .filter(handler -> handler.getParameterTypes()[0] != UsageBatch.class)
                    .forEach(handler -> types.add(handler.getParameterTypes()[0]));
        }
        return types;
    }
}
