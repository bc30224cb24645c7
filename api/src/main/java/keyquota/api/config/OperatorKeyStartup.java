package keyquota.api.config;

import keyquota.application.operator.OperatorKeyBootstrap;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** On every start: the operator has a key (the configured one, or one made on the first start). */
@Component
class OperatorKeyStartup implements ApplicationRunner {

    private final OperatorKeyBootstrap bootstrap;
    private final KeyquotaProperties properties;

    OperatorKeyStartup(OperatorKeyBootstrap bootstrap, KeyquotaProperties properties) {
        this.bootstrap = bootstrap;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        bootstrap.ensureOperatorKey(properties.bootstrapKey(), properties.dataDir());
    }
}
