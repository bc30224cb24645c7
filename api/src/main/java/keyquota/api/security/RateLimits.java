package keyquota.api.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import keyquota.api.config.KeyquotaProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each member and operator key's request budget on this node: a token bucket (Bucket4j) that refills
 * {@code keyquota.rate-limit.per-key} tokens a second and holds twice that, so a burst may use two seconds' worth.
 * Per node, in memory: the limit protects a node from one key, and needs no round trip to the database.
 */
@Component
public class RateLimits {

    /** What one request's draw left: whether it may go on, and what the RateLimit-* headers say. */
    public record Draw(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private final boolean enabled;
    private final long perSecond;
    private final long capacity;
    private final TimeMeter time;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimits(KeyquotaProperties properties, Clock clock) {
        this.enabled = properties.rateLimit().enabled();
        this.perSecond = properties.rateLimit().perKey();
        this.capacity = 2 * perSecond;
        // The service's clock, so that tests that move it refill the buckets as time would.
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    public boolean enabled() {
        return enabled;
    }

    public Draw draw(UUID keyId) {
        ConsumptionProbe probe = buckets.computeIfAbsent(keyId, id -> newBucket()).tryConsumeAndReturnRemaining(1);
        return new Draw(probe.isConsumed(), capacity, probe.getRemainingTokens(),
                seconds(probe.getNanosToWaitForReset()), seconds(probe.getNanosToWaitForRefill()));
    }

    /** A full bucket is as good as a new one: dropping it keeps the map to the keys in use. */
    @Scheduled(fixedDelay = 60_000)
    void forgetFullBuckets() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= capacity);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build();
    }

    /** Whole seconds, rounded up: a client that waits that long finds what it waits for. */
    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
