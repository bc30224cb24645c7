package keyquota.api.config;

import keyquota.api.error.DatabaseFailures;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.distributed.AnnotationRoutingStrategy;
import org.axonframework.commandhandling.distributed.RoutingStrategy;
import org.axonframework.common.Registration;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Axon's command bus, with group commit for the commands it is given: such commands on different aggregates that
 * wait while {@value #GROUPS_AT_ONCE} groups are being handled are then handled together, in one unit of work and
 * one transaction: one append of all their events, one round trip per kind of read-model statement, one commit.
 * <p>
 * Each command of a key costs the database a few round trips and a commit whatever it does, and on two shared cores
 * those round trips, not the decisions, set the pace of many members working at once. Grouped, a command is still
 * decided alone: by its own aggregate, through every handler interceptor, its events carrying its own metadata, and
 * timed on its own in the metrics. A group holds at most one command of an aggregate, and no aggregate is in two
 * groups at once, so groups never wait for each other's locks.
 * <p>
 * A command that fails in a group (a refusal, a clash with another node) must not take the others with it, nor be
 * committed with them: the whole group is rolled back and each of its commands is handled again alone, exactly as
 * without grouping. Only a database that is away fails them all at once, as it would have one by one. Under light
 * load, and inside a caller's transaction or unit of work, a command is handled alone at once.
 */
final class GroupCommitCommandBus extends SimpleCommandBus {

    /** Two shared cores: one group deciding while the other waits for its commit. */
    static final int GROUPS_AT_ONCE = 2;
    static final int MOST_IN_A_GROUP = 32;

    private final TransactionManager transactions;
    private final Predicate<Object> grouped;
    private final RoutingStrategy aggregates = AnnotationRoutingStrategy.defaultStrategy();
    private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> interceptors =
            new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition groupDone = lock.newCondition();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Set<String> busyAggregates = new HashSet<>();
    private int groupsRunning;

    /**
     * @param grouped which command payloads may be committed with others: those handled by an aggregate alone, whose
     *                handler has no effect outside the unit of work, so that handling one again after a rolled-back
     *                group changes nothing but its answer
     */
    GroupCommitCommandBus(Builder builder, TransactionManager transactions, Predicate<Object> grouped) {
        super(builder.transactionManager(transactions));
        this.transactions = transactions;
        this.grouped = grouped;
    }

    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        Registration registration = super.registerHandlerInterceptor(handlerInterceptor);
        interceptors.add(handlerInterceptor);
        return () -> interceptors.remove(handlerInterceptor) & registration.cancel();
    }

    @Override
    protected <C, R> void handle(CommandMessage<C> command, MessageHandler<? super CommandMessage<?>> handler,
                                 CommandCallback<? super C, ? super R> callback) {
        if (!grouped.test(command.getPayload()) || CurrentUnitOfWork.isStarted()
                || TransactionSynchronizationManager.isActualTransactionActive()) {
            super.handle(command, handler, callback);
            return;
        }
        Waiting self = new Waiting(command, handler, callback, aggregates.getRoutingKey(command));
        List<Waiting> group;
        lock.lock();
        try {
            waiting.add(self);
            while (self.taken || groupsRunning >= GROUPS_AT_ONCE || busyAggregates.contains(self.aggregateId)) {
                if (self.answered) {
                    return;
                }
                groupDone.awaitUninterruptibly();
            }
            group = takeGroupWith(self);
            groupsRunning++;
        } finally {
            lock.unlock();
        }
        try {
            handleTogether(group);
        } finally {
            lock.lock();
            try {
                for (Waiting member : group) {
                    member.answered = true;
                    busyAggregates.remove(member.aggregateId);
                }
                groupsRunning--;
                groupDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The caller's own command first, then those waiting longest, one for each aggregate not busy already. */
    private List<Waiting> takeGroupWith(Waiting self) {
        List<Waiting> group = new ArrayList<>();
        take(self, group);
        for (Iterator<Waiting> next = waiting.iterator(); next.hasNext() && group.size() < MOST_IN_A_GROUP; ) {
            Waiting candidate = next.next();
            if (!candidate.taken && !busyAggregates.contains(candidate.aggregateId)) {
                take(candidate, group);
            }
        }
        waiting.removeIf(member -> member.taken);
        return group;
    }

    private void take(Waiting member, List<Waiting> group) {
        member.taken = true;
        busyAggregates.add(member.aggregateId);
        group.add(member);
    }

    private void handleTogether(List<Waiting> group) {
        if (group.size() == 1) {
            group.get(0).handleAlone();
            return;
        }
        ResultMessage<?> outcome;
        Object[] results = new Object[group.size()];
        try {
            outcome = handleInOneUnit(group, results);
        } catch (RuntimeException | Error e) {
            outcome = GenericCommandResultMessage.asCommandResultMessage(e);
        }
        if (!outcome.isExceptional()) {
            for (int i = 0; i < group.size(); i++) {
                group.get(i).answer(GenericCommandResultMessage.asCommandResultMessage(results[i]));
            }
        } else if (DatabaseFailures.isUnavailable(outcome.exceptionResult())) {
            Throwable failure = outcome.exceptionResult();
            group.forEach(member -> member.answer(GenericCommandResultMessage.asCommandResultMessage(failure)));
        } else {
            group.forEach(Waiting::handleAlone);
        }
    }

    /** Any failure rolls the whole unit back: then nothing of the group is stored. */
    private ResultMessage<?> handleInOneUnit(List<Waiting> group, Object[] results) {
        BatchingUnitOfWork<CommandMessage<?>> unit =
                new BatchingUnitOfWork<>(group.stream().<CommandMessage<?>>map(member -> member.command).toList());
        unit.start();
        unit.attachTransaction(transactions);
        int[] handling = {0};
        return unit.executeWithResult(() -> {
            int index = handling[0]++;
            Object result = new DefaultInterceptorChain<>(unit, interceptors, group.get(index).handler).proceed();
            results[index] = result;
            return result;
        }, RollbackConfigurationType.ANY_THROWABLE);
    }

    /** A command, whom to answer, and where it is; the flags are guarded by the bus's lock. */
    private final class Waiting {

        private final CommandMessage<?> command;
        private final MessageHandler<? super CommandMessage<?>> handler;
        private final CommandCallback<Object, Object> callback;
        private final String aggregateId;
        private boolean taken;
        private boolean answered;

        @SuppressWarnings("unchecked")
        Waiting(CommandMessage<?> command, MessageHandler<? super CommandMessage<?>> handler,
                CommandCallback<?, ?> callback, String aggregateId) {
            this.command = command;
            this.handler = handler;
            this.callback = (CommandCallback<Object, Object>) callback;
            this.aggregateId = aggregateId;
        }

        /** As Axon's bus does; a failure before the handler ran (no connection) is this command's answer too. */
        void handleAlone() {
            try {
                GroupCommitCommandBus.super.handle(command, handler, callback);
            } catch (RuntimeException | Error e) {
                answer(GenericCommandResultMessage.asCommandResultMessage(e));
            }
        }

        @SuppressWarnings("unchecked")
        void answer(CommandResultMessage<?> result) {
            callback.onResult((CommandMessage<Object>) command, (CommandResultMessage<Object>) result);
        }
    }
}
