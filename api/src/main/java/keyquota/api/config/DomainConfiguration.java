package keyquota.api.config;

import keyquota.application.notification.WebhookTargets;
import keyquota.domain.key.KeyPolicy;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The resources the aggregates and use cases take: time, key limits, the service catalog, webhook targets. */
@Configuration(proxyBeanMethods = false)
class DomainConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Events are stamped by Axon's own clock; it must be the service's clock, so that an event's time and the
     * times inside it agree, also in tests that move the clock.
     */
    @Bean
    InitializingBean eventClock(Clock clock) {
        return () -> GenericEventMessage.clock = clock;
    }

    @Bean
    KeyPolicy keyPolicy(KeyquotaProperties properties) {
        KeyquotaProperties.Keys keys = properties.keys();
        return new KeyPolicy(keys.defaultValidDays(), keys.maxValidDays(), keys.maxActivePerMember(),
                keys.maxExpiryDays());
    }

    @Bean
    WebhookTargets webhookTargets(KeyquotaProperties properties) {
        return new WebhookTargets(properties.webhooks().allowHttp(), properties.webhooks().allowPrivateTargets());
    }

    @Bean
    ServiceCatalog serviceCatalog() {
        return ServiceCatalog.TWCC;
    }
}
