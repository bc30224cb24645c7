package keyquota.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.quota.AllocateUsage;
import keyquota.domain.quota.Scope;
import keyquota.domain.quota.UsageBatch;
import keyquota.domain.service.CloudService;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The command bus's monitor: each command timed by its type and outcome, from dispatch on the bus to the end of
 * its unit of work (the commit included), and each allocation refused for want of quota counted by whose quota
 * and which resource. Tags name types, never identifiers.
 */
class CommandMetrics implements MessageMonitor<Message<?>> {

    /** A rule of the domain said no: the caller's answer, not a fault of the service. */
    static final String REJECTED = "REJECTED";
    static final String SUCCESS = "SUCCESS";
    static final String FAILED = "FAILED";
    static final String IGNORED = "IGNORED";

    /** Histogram buckets, so that quantiles can be taken over every node's timers together. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry meters;

    CommandMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> command) {
        if (command.getPayload() instanceof UsageBatch) {
            // its changes are timed one by one, from their arrival (UsageBatchingCommandBus)
            return NoOpMessageMonitorCallback.INSTANCE;
        }
        String type = command.getPayloadType().getSimpleName();
        Timer.Sample sample = Timer.start(meters);
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                stop(SUCCESS);
            }

            @Override
            public void reportFailure(Throwable cause) {
                boolean rejected = cause instanceof DomainException || cause instanceof InvalidValue;
                stop(rejected ? REJECTED : FAILED);
                if (cause instanceof DomainException refusal && refusal.code() == ErrorCode.QUOTA_EXCEEDED
                        && command.getPayload() instanceof AllocateUsage allocation) {
                    quotaRejection(allocation.service(), refusal);
                }
            }

            @Override
            public void reportIgnored() {
                stop(IGNORED);
            }

            private void stop(String outcome) {
                sample.stop(timer(type, outcome));
            }
        };
    }

    /**
     * Every series that can be known in advance, at zero: a series that appears only with its first count has no
     * earlier sample, so Prometheus's rate() and increase() never show that first command or rejection.
     */
    void startAtZero(Collection<Class<?>> commandTypes, ServiceCatalog catalog) {
        for (Class<?> commandType : commandTypes) {
            for (String outcome : List.of(SUCCESS, REJECTED, FAILED)) {
                timer(commandType.getSimpleName(), outcome);
            }
        }
        for (CloudService service : catalog.services()) {
            for (String resource : service.resources()) {
                for (Scope scope : Scope.values()) {
                    quotaRejections(service.service(), scope.name(), resource);
                }
            }
        }
    }

    private Timer timer(String type, String outcome) {
        return Timer.builder("keyquota.commands")
                .description("Commands handled, from the bus to their commit, by type and outcome")
                .tag("command", type)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(meters);
    }

    /** The refusal names the scope (MEMBER or PROJECT) and the resource, both bounded by the service catalog. */
    private void quotaRejection(String service, DomainException refusal) {
        quotaRejections(service, String.valueOf(refusal.details().get("scope")),
                String.valueOf(refusal.details().get("resource"))).increment();
    }

    private Counter quotaRejections(String service, String scope, String resource) {
        return Counter.builder("keyquota.quota.rejections")
                .description("Allocations refused because a member's or the project's quota had no room")
                .tag("service", service)
                .tag("scope", scope)
                .tag("resource", resource)
                .register(meters);
    }
}
