package keyquota.api.config;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Event handlers of streaming read models are tried a few times, each attempt in a savepoint, before the failure
 * reaches Axon's dead-letter queue. The savepoint keeps a failed attempt (even a failed SQL statement) from spoiling
 * the batch's transaction, in which the letter is then parked and the processor goes on.
 * <p>
 * Savepoints cost two round trips an event, more than the audit log's own insert (JFR and the benchmark's
 * statement counts), and events almost never fail: so an event is first handled without one, its write gathered
 * with the rest of its batch's and sent as the batch commits ({@code UnitOfWorkWrites}), and its further attempts
 * are made in savepoints, each in a unit of work of its own, so that its writes are sent inside its savepoint. A
 * failed statement aborts the whole transaction, though (PostgreSQL then refuses even a savepoint), and a failed
 * gathered write fails the batch's commit: either way nothing of the batch is committed, every event of it is
 * remembered, and the processor handles the batch again, those events in savepoints from their first attempt
 * ({@link TryAgainInSavepoints}, which no dead-letter policy parks, is what a handler throws then). A dead letter
 * retried is handled in savepoints too.
 */
class RetryInSavepoint implements HandlerEnhancerDefinition {

    /** Events of batches that were rolled back lately, by identifier: a few, kept in a bounded set. */
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
                    CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.root().onRollback(
                            rolledBack -> failedOutsideSavepoint.add(message.getIdentifier())));
                    try {
                        return original.handle(message, target);
                    } catch (Exception e) {
                        if (!transactionStillUsable()) {
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
                                return inUnitOfItsOwn(() -> original.handle(message, target), message);
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

    /** Its own unit of work commits, sending the writes it gathered, before the savepoint is released. */
    private static Object inUnitOfItsOwn(Callable<Object> attempt, Message<?> message) throws Exception {
        ResultMessage<Object> result = DefaultUnitOfWork.startAndGet(message).executeWithResult(attempt);
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            if (failure instanceof Error error) {
                throw error;
            }
            throw (Exception) failure;
        }
        return result.getPayload();
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
