package keyquota.domain.servicekey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record DeleteServiceKey(UUID keyId) {

    @TargetAggregateIdentifier
    public String serviceKeyId() {
        return ServiceKeyId.of(keyId);
    }
}
