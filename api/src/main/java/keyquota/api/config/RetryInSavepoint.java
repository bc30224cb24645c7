package keyquota.api.config;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Event handlers of streaming read models are tried a few times, each attempt in a savepoint, before the failure
 * reaches Axon's dead-letter queue. The savepoint keeps a failed attempt (even a failed SQL statement) from spoiling
 * the batch's transaction, in which the letter is then parked and the processor goes on.
 * <p>
 * Savepoints cost two round trips an event, more than the audit log's own insert (JFR and the benchmark's
 * statement counts), and events almost never fail: so an event is first handled without one, and its further
 * attempts in savepoints. That relies on what the audit log's handlers are: they fail before they write, or in
 * their one write. A failed write aborts the whole transaction, though (PostgreSQL then refuses even a savepoint):
 * the batch fails ({@link TryAgainInSavepoints}, which no dead-letter policy parks), nothing of it is committed,
 * and the processor handles the batch again, that event in savepoints from its first attempt. A dead letter
 * retried is handled in savepoints too.
 */
class RetryInSavepoint implements HandlerEnhancerDefinition {

    /** Events that failed outside a savepoint lately, by identifier: a few, kept in a bounded set. */
    private static final int FAILED_REMEMBERED = 1000;

    private final Set<String> processingGroups;
    private final TransactionTemplate savepoint;
    private final int attempts;
    private final Set<String> failedOutsideSavepoint = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > FAILED_REMEMBERED;
                }
            }));

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
                int attempt = 1;
                if (!inSavepoints(message)) {
                    try {
                        return original.handle(message, target);
                    } catch (Exception e) {
                        if (!transactionStillUsable()) {
                            failedOutsideSavepoint.add(message.getIdentifier());
                            throw new TryAgainInSavepoints(e);
                        }
                        failure = e;
                        attempt++;
                    }
                }
                for (; attempt <= attempts; attempt++) {
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

    /** A failed statement aborts a PostgreSQL transaction: then not even a savepoint can be made in it. */
    private boolean transactionStillUsable() {
        try {
            savepoint.executeWithoutResult(status -> {
            });
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean inSavepoints(Message<?> message) {
        return failedOutsideSavepoint.contains(message.getIdentifier())
                || CurrentUnitOfWork.map(unitOfWork -> unitOfWork.getResource(DeadLetter.class.getName())).isPresent();
    }

    /** A handler failed outside a savepoint: its batch must be rolled back and handled again, in savepoints. */
    static final class TryAgainInSavepoints extends RuntimeException {
        TryAgainInSavepoints(Exception cause) {
            super("An event failed outside a savepoint; its batch is handled again, that event in savepoints", cause);
        }
    }

    /** Carries a handler's checked failure out of the savepoint, which rolls back on it. */
    private static final class AttemptFailed extends RuntimeException {
        AttemptFailed(Exception cause) {
            super(cause);
        }
    }
}
