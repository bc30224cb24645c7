package keyquota.api.config;

import keyquota.domain.DomainException;
import keyquota.domain.InvalidValue;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps aggregates in memory between commands, and never lets a command answer from a cached copy that another
 * node has moved on since. The check costs nothing for a command that stores events: the event store's unique
 * sequence refuses an event at a sequence another node took, and the command is rolled back (which drops the cached
 * copy) and retried on a fresh load. A command that stores none (a refusal, a dry run, a change to what already
 * is) is checked before it answers, with one indexed read of the stored sequence; should its copy be behind, it
 * fails as a clash does, and is retried on a fresh load. A refusal is checked by {@link #refusalsOnCurrentCopies()},
 * a command that succeeds without events as its unit of work prepares to commit.
 */
final class CheckedCachingRepository<T> extends CachingEventSourcingRepository<T> {

    /** The unit of work's resource: the checks of the cached copies its command used. */
    private static final String COPY_CHECKS = CheckedCachingRepository.class.getName() + ".copyChecks";

    private final Cache cache;
    private final EventStore eventStore;

    private CheckedCachingRepository(Builder<T> builder, Cache cache, EventStore eventStore) {
        super(builder);
        this.cache = cache;
        this.eventStore = eventStore;
    }

    static <T> CheckedCachingRepository<T> of(EventSourcingRepository.Builder<T> builder, Cache cache,
                                              EventStore eventStore) {
        return new CheckedCachingRepository<>(builder.cache(cache).eventStore(eventStore), cache, eventStore);
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        boolean cached = cache.containsKey(aggregateIdentifier);
        EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        if (cached) {
            Long loadedAt = aggregate.version();
            Runnable ensureCurrent = () -> ensureCurrent(aggregateIdentifier, loadedAt);
            UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
            unitOfWork.<List<Runnable>>getOrComputeResource(COPY_CHECKS, key -> new ArrayList<>()).add(ensureCurrent);
            unitOfWork.onPrepareCommit(committing -> {
                if (Objects.equals(aggregate.version(), loadedAt)) {
                    ensureCurrent.run();
                }
            });
        }
        return aggregate;
    }

    /**
     * A command that created an aggregate but decided nothing (setting a new project's quota to the defaults)
     * leaves it without events, and so without an identifier: there is nothing to keep.
     */
    @Override
    protected void doSaveWithLock(EventSourcedAggregate<T> aggregate) {
        if (aggregate.identifierAsString() != null) {
            super.doSaveWithLock(aggregate);
        }
    }

    /**
     * Before a refusal reaches the caller, every cached copy its command used is checked; a copy that was behind
     * turns the refusal into a clash, which the gateway retries on a fresh load.
     */
    static MessageHandlerInterceptor<CommandMessage<?>> refusalsOnCurrentCopies() {
        return (UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) -> {
            try {
                return chain.proceed();
            } catch (DomainException | InvalidValue refusal) {
                List<Runnable> copyChecks = unitOfWork.getResource(COPY_CHECKS);
                if (copyChecks != null) {
                    copyChecks.forEach(Runnable::run);
                }
                throw refusal;
            }
        };
    }

    private void ensureCurrent(String aggregateIdentifier, Long loadedAt) {
        Long stored = eventStore.lastSequenceNumberFor(aggregateIdentifier).orElse(null);
        if (!Objects.equals(stored, loadedAt)) {
            cache.remove(aggregateIdentifier);
            throw new ConcurrencyException("Aggregate " + aggregateIdentifier + " was moved on by another node since"
                    + " it was cached here; decided again on a fresh copy.");
        }
    }
}
