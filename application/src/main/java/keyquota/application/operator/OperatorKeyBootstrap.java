package keyquota.application.operator;

import keyquota.application.auth.VerificationCache;
import keyquota.application.secret.KeySecret;
import keyquota.domain.operator.ConfigureOperatorKey;
import keyquota.projections.key.KeyProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.UUID;

/**
 * Makes sure the platform operator has a key. A configured key replaces any earlier one. Without one, the
 * first start makes a key, keeps only its hash, and writes the secret to a file only its owner can read; the
 * log names the file, never the secret.
 */
@Service
public class OperatorKeyBootstrap {

    public static final String KEY_FILE = "operator-key";

    private static final Logger log = LoggerFactory.getLogger(OperatorKeyBootstrap.class);

    private final CommandGateway commands;
    private final KeyProjection keys;
    private final VerificationCache verifications;

    public OperatorKeyBootstrap(CommandGateway commands, KeyProjection keys, VerificationCache verifications) {
        this.commands = commands;
        this.keys = keys;
        this.verifications = verifications;
    }

    /** @param configured the KEYQUOTA_BOOTSTRAP_KEY setting, or null or blank when not set */
    public void ensureOperatorKey(String configured, Path dataDirectory) {
        if (configured != null && !configured.isBlank()) {
            KeySecret secret = KeySecret.parse(configured.strip()).orElseThrow(() -> new IllegalStateException(
                    "keyquota.bootstrap-key is not a well-formed key secret (kq_ + 38 base62 characters with a "
                            + "valid checksum)"));
            configure(secret, true);
            log.info("The configured bootstrap key {} is the operator key.", secret.masked());
            return;
        }
        if (keys.hasOperatorKey()) {
            return;
        }
        KeySecret secret = KeySecret.generate(new SecureRandom());
        Path file = dataDirectory.resolve(KEY_FILE);
        // Written before the key takes effect, so that a failed write cannot leave a key nobody holds.
        Path pending = write(secret, dataDirectory.resolve(KEY_FILE + ".pending"));
        // Nodes starting together may all get here; only the first one's key is kept.
        if (configure(secret, false)) {
            move(pending, file);
            log.info("Created the operator key {}; its secret is in {}", secret.masked(), file.toAbsolutePath());
        } else {
            delete(pending);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the operator key file to " + to, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private boolean configure(KeySecret secret, boolean replaceExisting) {
        try {
            Boolean configured = commands.sendAndWait(
                    new ConfigureOperatorKey(UUID.randomUUID(), secret.hash(), secret.masked(), replaceExisting));
            if (Boolean.TRUE.equals(configured)) {
                verifications.awaitOperatorKeysRevoked();
            }
            return Boolean.TRUE.equals(configured);
        } catch (AggregateStreamCreationException anotherNodeWasFirst) {
            return false;
        }
    }

    private static Path write(KeySecret secret, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, secret.reveal() + System.lineSeparator(), StandardOpenOption.WRITE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator key file " + file, e);
        }
    }
}
