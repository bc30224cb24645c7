package keyquota.application.key;

import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.application.auth.VerificationCache;
import keyquota.application.secret.KeySecret;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.servicekey.CreateServiceKey;
import keyquota.domain.servicekey.DeleteServiceKey;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.key.KeyType;
import keyquota.projections.key.KeyView;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;

/** Keys that cloud services use to verify member keys and report usage. The operator manages them. */
@Service
public class ServiceKeyManagement {

    private final CommandGateway commands;
    private final KeyProjection keys;
    private final VerificationCache verifications;
    private final SecureRandom random = new SecureRandom();

    public ServiceKeyManagement(CommandGateway commands, KeyProjection keys, VerificationCache verifications) {
        this.commands = commands;
        this.keys = keys;
        this.verifications = verifications;
    }

    /** @param service the service the key acts for, or null for every service */
    public CreatedKey create(Principal principal, String name, String service) {
        Access.ensureOperator(principal);
        KeySecret secret = KeySecret.generate(random);
        UUID keyId = UUID.randomUUID();
        commands.sendAndWait(new CreateServiceKey(keyId, name, service, secret.hash(), secret.masked()));
        return new CreatedKey(keys.findLive(keyId).orElseThrow(), secret);
    }

    public List<KeyView> list(Principal principal) {
        Access.ensureOperator(principal);
        return keys.serviceKeys();
    }

    public void delete(Principal principal, UUID keyId) {
        Access.ensureOperator(principal);
        keys.findLive(keyId).filter(key -> key.type() == KeyType.SERVICE)
                .orElseThrow(() -> new DomainException(ErrorCode.KEY_NOT_FOUND, "Key not found."));
        commands.sendAndWait(new DeleteServiceKey(keyId));
        verifications.awaitRevoked(List.of(keyId));
    }
}
