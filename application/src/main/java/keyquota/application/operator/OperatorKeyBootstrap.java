package keyquota.application.operator;

import keyquota.application.auth.VerificationCache;
import keyquota.application.secret.KeySecret;
import keyquota.domain.operator.ConfigureOperatorKey;
import keyquota.infrastructure.file.OperatorKeyFile;
import keyquota.projections.key.KeyProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Makes sure the platform operator has a key. A configured key replaces any earlier one. Without one, the
 * first start makes a key, keeps only its hash, and writes the secret to a file only its owner can read; the
 * log names the file, never the secret.
 */
@Service
public class OperatorKeyBootstrap {

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
        OperatorKeyFile file = new OperatorKeyFile(dataDirectory);
        file.prepare(secret.reveal());
        // Nodes starting together may all get here; only the first one's key is kept.
        if (configure(secret, false)) {
            file.commit();
            log.info("Created the operator key {}; its secret is in {}", secret.masked(),
                    file.path().toAbsolutePath());
        } else {
            file.discard();
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
}
