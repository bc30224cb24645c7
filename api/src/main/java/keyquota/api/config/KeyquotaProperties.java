package keyquota.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings under {@code keyquota.}.
 *
 * @param bootstrapKey  an operator key secret; without one the first start makes a key and writes it to dataDir
 * @param dataDir       where the embedded PostgreSQL keeps its data and the generated operator key is written
 * @param maxBodyBytes  the largest request body accepted
 * @param maxReconcileBodyBytes the largest reconcile body: every allocation id a cloud service holds in a project,
 *                      up to 100,000 of up to 128 characters
 * @param webhooks      where webhooks may send (their dispatcher's tick is keyquota.webhooks.dispatch-interval,
 *                      default PT1S)
 * @param rateLimit     each member and operator key's request budget on each node
 * @param shutdown      how a node stops
 */
@ConfigurationProperties("keyquota")
public record KeyquotaProperties(String bootstrapKey,
                                 @DefaultValue("data") Path dataDir,
                                 @DefaultValue("65536") int maxBodyBytes,
                                 @DefaultValue("16777216") int maxReconcileBodyBytes,
                                 @DefaultValue Keys keys,
                                 @DefaultValue Webhooks webhooks,
                                 @DefaultValue RateLimit rateLimit,
                                 @DefaultValue Shutdown shutdown) {

    /**
     * @param defaultValidDays       validity of a key created without validDays
     * @param maxValidDays           the largest validDays, and the largest extension
     * @param maxActivePerMember     active keys a member may hold in one project
     * @param maxExpiryDays          how far from now an extension may push an expiry
     */
    public record Keys(@DefaultValue("30") int defaultValidDays,
                       @DefaultValue("365") int maxValidDays,
                       @DefaultValue("5") int maxActivePerMember,
                       @DefaultValue("730") int maxExpiryDays) {
    }

    /**
     * @param allowHttp           take {@code http://} URLs, not only {@code https://}
     * @param allowPrivateTargets take targets on loopback, private, link-local and shared addresses
     */
    public record Webhooks(@DefaultValue("false") boolean allowHttp,
                           @DefaultValue("false") boolean allowPrivateTargets) {
    }

    /**
     * @param enabled whether API requests draw on their key's budget at all
     * @param perKey  requests per second a key may make, on each node; bursts up to twice that
     */
    public record RateLimit(@DefaultValue("true") boolean enabled,
                            @DefaultValue("50") int perKey) {
    }

    /**
     * @param readinessDelay how long a stopping node goes on serving while its readiness probe already says
     *                       OUT_OF_SERVICE, before it takes no new request: time for a load balancer to see it
     */
    public record Shutdown(@DefaultValue("0s") Duration readinessDelay) {
    }
}
