package keyquota.api.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * Settings under {@code keyquota.}.
 *
 * @param bootstrapKey  an operator key secret; without one the first start makes a key and writes it to dataDir
 * @param dataDir       where the embedded PostgreSQL keeps its data and the generated operator key is written
 * @param maxBodyBytes  the largest request body accepted
 * @param webhooks      where webhooks may send (their dispatcher's tick is keyquota.webhooks.dispatch-interval,
 *                      default PT1S)
 */
@ConfigurationProperties("keyquota")
public record KeyquotaProperties(String bootstrapKey,
                                 @DefaultValue("data") Path dataDir,
                                 @DefaultValue("65536") int maxBodyBytes,
                                 @DefaultValue Keys keys,
                                 @DefaultValue Webhooks webhooks) {

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
}
