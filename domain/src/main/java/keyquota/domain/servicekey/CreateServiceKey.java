package keyquota.domain.servicekey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** @param service the one cloud service the key acts for, or null for every service */
public record CreateServiceKey(UUID keyId, String name, String service, String keyHash, String maskedKey) {

    @TargetAggregateIdentifier
    public String serviceKeyId() {
        return ServiceKeyId.of(keyId);
    }
}
