package keyquota.api.config;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The first step of a stop. Boot turns readiness to OUT_OF_SERVICE as the context starts closing, but the web
 * server's graceful shutdown follows at once and refuses new requests from then on: a load balancer that polls
 * readiness would only learn of the stop from refused requests. This lifecycle, stopped before any other (the
 * highest phase), keeps the node serving for {@code keyquota.shutdown.readiness-delay} while readiness says
 * OUT_OF_SERVICE, so that the balancer takes it out first.
 */
@Component
class ReadinessDelay implements SmartLifecycle {

    private final Duration readinessDelay;
    private volatile boolean running;

    ReadinessDelay(KeyquotaProperties properties) {
        this.readinessDelay = properties.shutdown().readinessDelay();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        try {
            Thread.sleep(readinessDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
