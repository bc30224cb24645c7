package keyquota.domain.servicekey;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.Time;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A key with which a cloud service verifies member keys and reports usage. It does not expire. */
public class ServiceKey {

    @AggregateIdentifier
    private String serviceKeyId;
    private UUID keyId;
    private boolean deleted;

    protected ServiceKey() {
    }

    @CommandHandler
    public ServiceKey(CreateServiceKey command, Clock clock, ServiceCatalog catalog) {
        if (command.service() != null && catalog.find(command.service()).isEmpty()) {
            throw new InvalidValue("service", "must be one of " + catalog.serviceNames());
        }
        apply(new ServiceKeyCreated(command.keyId(), command.name(), command.service(), command.keyHash(),
                command.maskedKey(), Time.now(clock)));
    }

    @CommandHandler
    public void handle(DeleteServiceKey command) {
        if (deleted) {
            throw new DomainException(ErrorCode.KEY_NOT_FOUND, "Key not found.");
        }
        apply(new ServiceKeyDeleted(keyId));
    }

    @EventSourcingHandler
    void on(ServiceKeyCreated event) {
        serviceKeyId = ServiceKeyId.of(event.keyId());
        keyId = event.keyId();
    }

    @EventSourcingHandler
    void on(ServiceKeyDeleted event) {
        deleted = true;
    }
}
