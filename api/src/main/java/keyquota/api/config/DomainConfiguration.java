package keyquota.api.config;

import keyquota.domain.key.KeyPolicy;
import keyquota.domain.service.ServiceCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The resources the aggregates and use cases take: time, key limits and the service catalog. */
@Configuration(proxyBeanMethods = false)
class DomainConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    KeyPolicy keyPolicy(KeyquotaProperties properties) {
        KeyquotaProperties.Keys keys = properties.keys();
        return new KeyPolicy(keys.defaultValidDays(), keys.maxValidDays(), keys.maxActivePerMember(),
                keys.maxExpiryDays());
    }

    @Bean
    ServiceCatalog serviceCatalog() {
        return ServiceCatalog.TWCC;
    }
}
