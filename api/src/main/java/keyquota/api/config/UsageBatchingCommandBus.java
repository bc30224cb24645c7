package keyquota.api.config;

import keyquota.domain.quota.UsageBatch;
import keyquota.domain.quota.UsageChange;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.commandhandling.callbacks.NoOpCallback;
import org.axonframework.common.Registration;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.monitoring.MessageMonitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The command bus as the gateway sees it: allocations and releases of one quota that arrive while others of that
 * quota are being decided wait, and are then decided together, in arrival order, as one {@link UsageBatch}; every
 * other command passes straight through.
 * <p>
 * A project's quota of a service is one aggregate, so its commands run one at a time, and each held the aggregate
 * through its load check, its decision, its events' and read models' statements and its own commit: on a busy
 * project the queue, not the work, set the pace (the benchmark's hot project). A batch shares one load check, one
 * transaction and one commit among all that waited. Each change is still decided as it would be alone
 * ({@code ProjectQuota}), gets its own answer and its own timing in the metrics, and its events carry its own
 * metadata (who asked, the request's correlation id). A batch that fails as a whole (the database away, another
 * node's append first) fails each change as it would have failed alone, so the gateway retries a clash change by
 * change.
 */
final class UsageBatchingCommandBus implements CommandBus {

    /** As the aggregate lock's queue was: beyond it a change is refused at once (503) rather than hold a thread. */
    static final int MAX_WAITING = 64;

    private final CommandBus bus;
    private final MessageMonitor<? super CommandMessage<?>> monitor;
    private final ConcurrentMap<String, Quota> quotas = new ConcurrentHashMap<>();

    UsageBatchingCommandBus(CommandBus bus, MessageMonitor<? super CommandMessage<?>> monitor) {
        this.bus = bus;
        this.monitor = monitor;
    }

    @Override
    public <C> void dispatch(CommandMessage<C> command) {
        dispatch(command, NoOpCallback.INSTANCE);
    }

    @Override
    public <C, R> void dispatch(CommandMessage<C> command, CommandCallback<? super C, ? super R> callback) {
        if (command.getPayload() instanceof UsageChange change) {
            quotas.computeIfAbsent(change.quotaId(), quotaId -> new Quota()).decide(new Waiting(command, callback));
        } else {
            bus.dispatch(command, callback);
        }
    }

    @Override
    public Registration subscribe(String commandName, MessageHandler<? super CommandMessage<?>> handler) {
        return bus.subscribe(commandName, handler);
    }

    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        return bus.registerHandlerInterceptor(handlerInterceptor);
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
        return bus.registerDispatchInterceptor(dispatchInterceptor);
    }

    /** The changes of one quota waiting to be decided, and whether a thread is deciding some now. */
    private final class Quota {

        private final ReentrantLock lock = new ReentrantLock();
        private final Condition batchDone = lock.newCondition();
        private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
        private boolean deciding;

        /**
         * Returns once the change is answered: by this thread, which decides what waits when no other thread is
         * deciding, or by the thread deciding the batch that took it.
         */
        void decide(Waiting change) {
            List<Waiting> batch;
            lock.lock();
            try {
                if (waiting.size() >= MAX_WAITING) {
                    change.answer(GenericCommandResultMessage.asCommandResultMessage(new LockAcquisitionFailedException(
                            "Too many allocations and releases wait for this quota; try again shortly.")));
                    return;
                }
                waiting.add(change);
                while (deciding && !change.answered) {
                    batchDone.awaitUninterruptibly();
                }
                if (change.answered) {
                    return;
                }
                deciding = true;
                batch = new ArrayList<>(waiting);
                waiting.clear();
            } finally {
                lock.unlock();
            }
            try {
                decideTogether(batch);
            } catch (RuntimeException | Error e) {
                batch.stream().filter(unanswered -> !unanswered.replied)
                        .forEach(unanswered -> unanswered.answer(GenericCommandResultMessage.asCommandResultMessage(e)));
                throw e;
            } finally {
                lock.lock();
                try {
                    batch.forEach(Waiting::markAnswered);
                    deciding = false;
                    batchDone.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }

        private void decideTogether(List<Waiting> batch) {
            UsageChange first = batch.get(0).change();
            List<UsageBatch.Change> changes = batch.stream()
                    .map(waiting -> new UsageBatch.Change(waiting.change(), waiting.command.getMetaData()))
                    .toList();
            FutureCallback<UsageBatch, List<UsageBatch.Outcome>> decided = new FutureCallback<>();
            try {
                bus.dispatch(GenericCommandMessage.asCommandMessage(
                        new UsageBatch(first.projectId(), first.service(), changes)), decided);
            } catch (RuntimeException e) {
                decided.onResult(null, GenericCommandResultMessage.asCommandResultMessage(e));
            }
            CommandResultMessage<? extends List<UsageBatch.Outcome>> result = decided.getResult();
            for (int i = 0; i < batch.size(); i++) {
                if (result.isExceptional()) {
                    batch.get(i).answer(GenericCommandResultMessage.asCommandResultMessage(result.exceptionResult()));
                } else {
                    UsageBatch.Outcome outcome = result.getPayload().get(i);
                    batch.get(i).answer(outcome.refusal() != null
                            ? GenericCommandResultMessage.asCommandResultMessage(outcome.refusal())
                            : GenericCommandResultMessage.asCommandResultMessage(outcome.result()));
                }
            }
        }
    }

    /** A change, its caller's callback, and its timing in the metrics, from its arrival to its answer. */
    private final class Waiting {

        private final CommandMessage<?> command;
        private final CommandCallback<Object, Object> callback;
        private final MessageMonitor.MonitorCallback timing;
        /** Its callback was called; touched by the deciding thread alone. */
        private boolean replied;
        /** Its batch is done; guarded by its quota's lock. */
        private boolean answered;

        @SuppressWarnings("unchecked")
        Waiting(CommandMessage<?> command, CommandCallback<?, ?> callback) {
            this.command = command;
            this.callback = (CommandCallback<Object, Object>) callback;
            this.timing = monitor.onMessageIngested(command);
        }

        UsageChange change() {
            return (UsageChange) command.getPayload();
        }

        void answer(CommandResultMessage<?> result) {
            replied = true;
            if (result.isExceptional()) {
                timing.reportFailure(result.exceptionResult());
            } else {
                timing.reportSuccess();
            }
            callback.onResult((CommandMessage<Object>) command, result);
        }

        void markAnswered() {
            answered = true;
        }
    }
}
