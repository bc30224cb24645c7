package keyquota.api.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * With no {@code spring.datasource.url}, the service runs on an embedded PostgreSQL (real binaries, no server
 * to install) whose data folder survives restarts. With one, Spring Boot connects to that server instead.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDatasourceUrl.class)
public class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(KeyquotaProperties properties) throws IOException {
        ensureBinariesPresent();
        Path directory = properties.dataDir().resolve("postgres").toAbsolutePath();
        Files.createDirectories(directory);
        log.info("No spring.datasource.url set: starting an embedded PostgreSQL in {}", directory);
        return durable(EmbeddedPostgres.builder())
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                // Its own JVM shutdown hook would stop the database at SIGTERM while requests still drain and the
                // processors release their claims; the context closes it (destroyMethod) after all that instead.
                .setRegisterShutdownHook(false)
                .start();
    }

    /** The jar built for servers ({@code mvn -Pserver package}, the Docker image) leaves the binaries out. */
    private static void ensureBinariesPresent() throws IOException {
        if (new PathMatchingResourcePatternResolver().getResources("classpath*:postgres-*.txz").length == 0) {
            throw new NoEmbeddedDatabase();
        }
    }

    /** Started with no database configured, from a jar that has no embedded one. */
    static class NoEmbeddedDatabase extends IllegalStateException {
        NoEmbeddedDatabase() {
            super("No spring.datasource.url is set, and this jar carries no embedded PostgreSQL");
        }
    }

    /** Says what to do instead of a page of bean creation failures. */
    static class NoEmbeddedDatabaseAnalyzer extends AbstractFailureAnalyzer<NoEmbeddedDatabase> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, NoEmbeddedDatabase cause) {
            return new FailureAnalysis(cause.getMessage() + " (it was built with -Pserver).",
                    "Set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD to a "
                            + "PostgreSQL server, or use the jar built without -Pserver.", cause);
        }
    }

    /**
     * The embedded PostgreSQL's defaults are made for throwaway test databases: {@code fsync} and
     * {@code synchronous_commit} off, so a crash of the machine or of PostgreSQL loses commits already answered.
     * The service answers a command only after its events are on disk, here as on any real server.
     */
    public static EmbeddedPostgres.Builder durable(EmbeddedPostgres.Builder builder) {
        return builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }

    @Bean(destroyMethod = "close")
    TransactionBoundPool dataSource(EmbeddedPostgres postgres, Environment environment) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        pool.setUsername("postgres");
        return TransactionBoundPool.of(pool, environment);
    }

    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }

    static class DatasourceUrl extends NoDatasourceUrl {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !super.matches(context, metadata);
        }
    }
}
