package keyquota.api.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With {@code spring.datasource.url}, the pool on that server. Declared here rather than left to Spring Boot's
 * auto-configuration because Axon's JDBC auto-configuration (event store, token store) only applies when a
 * DataSource bean is already defined, and under Spring Boot 4 it is not ordered after DataSourceAutoConfiguration.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.DatasourceUrl.class)
class ExternalDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    TransactionBoundPool dataSource(DataSourceProperties properties, Environment environment) {
        return TransactionBoundPool.of(properties.initializeDataSourceBuilder().type(HikariDataSource.class).build(),
                environment);
    }
}
