package keyquota.api.security;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import keyquota.api.support.Api;
import keyquota.application.auth.VerificationCache;
import keyquota.application.operator.OperatorKeyBootstrap;
import keyquota.infrastructure.file.OperatorKeyFile;
import keyquota.application.secret.KeySecret;
import keyquota.domain.operator.ConfigureOperatorKey;
import keyquota.infrastructure.readmodel.UnitOfWorkWrites;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.key.VerificationLeases;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OperatorKeyBootstrap} on its own, without Spring or a database: a command bus that records the
 * {@link ConfigureOperatorKey} it receives, and a key projection that answers whether an operator key exists.
 * What it checks: the secret of a generated key goes to an owner-only file and nowhere else.
 */
class OperatorKeyFileTest {

    @TempDir
    private Path tempDir;

    private final List<ConfigureOperatorKey> commands = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(OperatorKeyBootstrap.class);

    private boolean operatorKeyExists;
    private boolean commandAccepted = true;

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    private OperatorKeyBootstrap bootstrap() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(ConfigureOperatorKey.class.getName(), message -> {
            commands.add((ConfigureOperatorKey) message.getPayload());
            return commandAccepted;
        });
        JdbcTemplate noDatabase = new JdbcTemplate(new DriverManagerDataSource());
        KeyProjection keys = new KeyProjection(JdbcClient.create(noDatabase), new UnitOfWorkWrites(noDatabase)) {
            @Override
            public boolean hasOperatorKey() {
                return operatorKeyExists;
            }
        };
        VerificationLeases noLeases = new VerificationLeases(JdbcClient.create(noDatabase)) {
            @Override
            public Duration remainingForOperatorKeys() {
                return Duration.ZERO;
            }
        };
        return new OperatorKeyBootstrap(DefaultCommandGateway.builder().commandBus(bus).build(), keys,
                new VerificationCache(noLeases));
    }

    @ParameterizedTest(name = "configured key [{0}]")
    @NullSource
    @ValueSource(strings = {"", "  "})
    void aFirstStartWithoutAKeyWritesTheSecretToAnOwnerOnlyFile(String configured) throws IOException {
        Path dataDir = tempDir.resolve("data/not-yet-there");

        bootstrap().ensureOperatorKey(configured, dataDir);

        Path file = dataDir.resolve(OperatorKeyFile.NAME);
        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String content = Files.readString(file);
        String secret = content.strip();
        Api.SECRETS_SEEN.add(secret);
        assertThat(content).isEqualTo(secret + System.lineSeparator());
        KeySecret parsed = KeySecret.parse(secret).orElseThrow(() -> new AssertionError("not a secret: " + content));

        assertThat(commands).singleElement().satisfies(command -> {
            assertThat(command.keyHash()).isEqualTo(parsed.hash());
            assertThat(command.maskedKey()).isEqualTo(parsed.masked());
            assertThat(command.replaceExisting()).as("a generated key never replaces another node's").isFalse();
        });
        assertThat(logged()).anySatisfy(line -> assertThat(line)
                .contains(parsed.masked()).contains(file.toAbsolutePath().toString()));
        assertThat(logged()).noneMatch(line -> line.contains(secret) || line.contains(secret.substring(3)));
    }

    @Test
    void aStaleFileIsReplacedByAnOwnerOnlyFileWithOnlyTheNewSecret() throws IOException {
        Path file = tempDir.resolve(OperatorKeyFile.NAME);
        Files.writeString(file, "stale secret\nand more\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        bootstrap().ensureOperatorKey(null, tempDir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String secret = Files.readString(file).strip();
        Api.SECRETS_SEEN.add(secret);
        assertThat(KeySecret.parse(secret)).isPresent();
        assertThat(commands).singleElement()
                .satisfies(command -> assertThat(command.keyHash()).isEqualTo(KeySecret.parse(secret).get().hash()));
    }

    @Test
    void whenAnotherNodeConfiguredAKeyFirstNoFileIsWritten() throws IOException {
        commandAccepted = false;

        bootstrap().ensureOperatorKey(null, tempDir);

        assertThat(commands).hasSize(1);
        assertThat(filesIn(tempDir)).isEmpty();
    }

    @Test
    void whenAnOperatorKeyExistsNothingIsSentOrWritten() throws IOException {
        operatorKeyExists = true;

        bootstrap().ensureOperatorKey(null, tempDir);

        assertThat(commands).isEmpty();
        assertThat(filesIn(tempDir)).isEmpty();
    }

    @Test
    void aConfiguredKeyIsSentAsItsHashOnlyAndNeverWritten() throws IOException {
        operatorKeyExists = true;
        KeySecret configured = KeySecret.generate(new SecureRandom());
        Api.SECRETS_SEEN.add(configured.reveal());

        bootstrap().ensureOperatorKey("  " + configured.reveal() + "\n", tempDir);

        assertThat(commands).singleElement().satisfies(command -> {
            assertThat(command.keyHash()).isEqualTo(configured.hash());
            assertThat(command.maskedKey()).isEqualTo(configured.masked());
            assertThat(command.replaceExisting()).as("a configured key replaces any earlier one").isTrue();
            assertThat(command.toString()).doesNotContain(configured.reveal());
        });
        assertThat(filesIn(tempDir)).isEmpty();
        assertThat(logged()).anySatisfy(line -> assertThat(line).contains(configured.masked()));
        assertThat(logged()).noneMatch(line -> line.contains(configured.reveal()));
    }

    @Test
    void aMalformedConfiguredKeyIsRefusedBeforeAnythingIsSent() throws IOException {
        String valid = KeySecret.generate(new SecureRandom()).reveal();
        String wrongChecksum = valid.substring(0, 40) + (valid.endsWith("0") ? "1" : "0");

        assertThatThrownBy(() -> bootstrap().ensureOperatorKey(wrongChecksum, tempDir))
                .isInstanceOf(IllegalStateException.class)
                .message().doesNotContain(wrongChecksum);

        assertThat(commands).isEmpty();
        assertThat(filesIn(tempDir)).isEmpty();
    }

    /** Every logged line: message, and any stack trace's messages. */
    private List<String> logged() {
        return log.list.stream().map(event -> {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(" | ").append(t.getMessage());
            }
            return text.toString();
        }).toList();
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
