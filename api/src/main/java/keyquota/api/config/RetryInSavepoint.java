package keyquota.api.config;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Set;

/**
 * Event handlers of streaming read models run each event in a savepoint and are tried a few times before the
 * failure reaches Axon's dead-letter queue. The savepoint keeps a failed attempt (even a failed SQL statement)
 * from spoiling the batch's transaction, in which the letter is then parked and the processor goes on.
 */
class RetryInSavepoint implements HandlerEnhancerDefinition {

    private final Set<String> processingGroups;
    private final TransactionTemplate savepoint;
    private final int attempts;

    RetryInSavepoint(Set<String> processingGroups, PlatformTransactionManager transactions, int attempts) {
        this.processingGroups = processingGroups;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.attempts = attempts;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        ProcessingGroup group = original.declaringClass().getAnnotation(ProcessingGroup.class);
        if (!original.canHandleMessageType(EventMessage.class) || group == null
                || !processingGroups.contains(group.value())) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                Exception failure = null;
                for (int attempt = 1; attempt <= attempts; attempt++) {
                    try {
                        return savepoint.execute(status -> {
                            try {
                                return original.handle(message, target);
                            } catch (Exception e) {
                                throw new AttemptFailed(e);
                            }
                        });
                    } catch (AttemptFailed e) {
                        failure = (Exception) e.getCause();
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                throw failure;
            }
        };
    }

    /** Carries a handler's checked failure out of the savepoint, which rolls back on it. */
    private static final class AttemptFailed extends RuntimeException {
        AttemptFailed(Exception cause) {
            super(cause);
        }
    }
}
