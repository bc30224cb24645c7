package keyquota.domain.operator;

import keyquota.domain.Time;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Clock;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** The platform operator's single key: the bootstrap key, configured or generated on first start. */
public class OperatorKey {

    @AggregateIdentifier
    private String operatorKeyId;
    private UUID keyId;
    private String keyHash;

    protected OperatorKey() {
    }

    /** @return whether the given key is now the operator key */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public boolean handle(ConfigureOperatorKey command, Clock clock) {
        if (command.keyHash().equals(keyHash)) {
            return true;
        }
        if (keyHash != null && !command.replaceExisting()) {
            return false;
        }
        apply(new OperatorKeyConfigured(command.keyId(), command.keyHash(), command.maskedKey(), keyId,
                Time.now(clock)));
        return true;
    }

    @EventSourcingHandler
    void on(OperatorKeyConfigured event) {
        operatorKeyId = ConfigureOperatorKey.OPERATOR_KEY_ID;
        keyId = event.keyId();
        keyHash = event.keyHash();
    }
}
