package keyquota.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import keyquota.infrastructure.eventstore.AxonTables;
import keyquota.infrastructure.eventstore.ProcessorHorizon;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.key.KeyType;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;

/**
 * What the database says, read at each scrape, so that every node reports the same figures: each streaming
 * processor's lag behind the head of the event store (events it has yet to handle, and how long the oldest of them
 * has waited), its dead letters, and the keys that work now. A scrape while the database is away reads NaN.
 */
@Component
class StateMetrics {

    private final MeterRegistry meters;
    private final EventProcessingConfiguration processors;
    private final ProcessorHorizon horizon;
    private final AxonTables axon;
    private final KeyProjection keys;
    private final Clock clock;

    StateMetrics(MeterRegistry meters, EventProcessingConfiguration processors, ProcessorHorizon horizon,
                 AxonTables axon, KeyProjection keys, Clock clock) {
        this.meters = meters;
        this.processors = processors;
        this.horizon = horizon;
        this.axon = axon;
        this.keys = keys;
        this.clock = clock;
    }

    /** Once the processors exist: Axon makes them when its configuration starts. */
    @EventListener(ApplicationStartedEvent.class)
    void register() {
        processors.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor) {
                Gauge.builder("keyquota.processor.lag.events", () -> backlog(name).events())
                        .description("Events in the store that the streaming processor has yet to handle")
                        .tag("processor", name)
                        .register(meters);
                Gauge.builder("keyquota.processor.lag.seconds", () -> waited(backlog(name)).toMillis() / 1000.0)
                        .description("How long the oldest event the streaming processor has yet to handle has waited")
                        .tag("processor", name)
                        .register(meters);
                Gauge.builder("keyquota.dead.letters", () -> axon.deadLetterCount(name))
                        .description("Events the processor parked, waiting for a retry")
                        .tag("processor", name)
                        .register(meters);
            }
        });
        for (KeyType type : KeyType.values()) {
            Gauge.builder("keyquota.keys.active", () -> keys.activeKeys(type, clock.instant()))
                    .description("Keys neither deleted, disabled nor expired")
                    .tag("type", type.name())
                    .register(meters);
        }
    }

    private AxonTables.Backlog backlog(String processor) {
        return axon.backlogAbove(horizon.horizon(processor));
    }

    private Duration waited(AxonTables.Backlog backlog) {
        if (backlog.oldest() == null) {
            return Duration.ZERO;
        }
        Duration waited = Duration.between(backlog.oldest(), clock.instant());
        return waited.isNegative() ? Duration.ZERO : waited;
    }
}
