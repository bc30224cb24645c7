package keyquota.application.projection;

import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.infrastructure.eventstore.AxonTables;
import keyquota.infrastructure.eventstore.AxonTables.DeadLetter;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

/** Events a streaming read model could not apply, parked so that it could go on; the operator retries them. */
@Service
public class DeadLetters {

    /** Retrying stops after this many sequences, so that one request never runs unbounded. */
    private static final int MAX_RETRIES_PER_REQUEST = 1000;

    private final AxonTables axon;
    private final EventProcessingConfiguration processors;

    public DeadLetters(AxonTables axon, EventProcessingConfiguration processors) {
        this.axon = axon;
        this.processors = processors;
    }

    public record RetryOutcome(int retried, int remaining) {
    }

    public List<DeadLetter> list(Principal principal) {
        Access.ensureOperator(principal);
        return axon.deadLetters();
    }

    /** Retries every parked sequence once, oldest first; what fails again stays parked. */
    public RetryOutcome retry(Principal principal) {
        Access.ensureOperator(principal);
        int retried = 0;
        for (String group : axon.deadLetterGroups()) {
            Optional<SequencedDeadLetterProcessor<EventMessage<?>>> processor =
                    processors.sequencedDeadLetterProcessor(group);
            if (processor.isPresent()) {
                int sequences = axon.deadLetterSequences(group);
                for (int i = 0; i < sequences && retried < MAX_RETRIES_PER_REQUEST; i++) {
                    if (processor.get().processAny()) {
                        retried++;
                    }
                }
            }
        }
        return new RetryOutcome(retried, axon.deadLetterCount());
    }
}
