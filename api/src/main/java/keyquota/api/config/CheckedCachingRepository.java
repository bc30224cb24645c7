package keyquota.api.config;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Keeps aggregates in memory between commands, and uses a cached one only while it is at the sequence the event
 * store holds for it: one indexed read instead of a snapshot and its events. Another node may have moved the
 * aggregate on; then it is loaded afresh, so no decision (a rejection least of all) is taken on a copy that is
 * behind. Should another node append between this check and the commit, the event store's unique sequence
 * refuses the append, the command is rolled back (which drops the cached copy) and retried on a fresh load.
 */
final class CheckedCachingRepository<T> extends CachingEventSourcingRepository<T> {

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
        if (cached && !isCurrent(aggregate, aggregateIdentifier)) {
            cache.remove(aggregateIdentifier);
            aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
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

    private boolean isCurrent(EventSourcedAggregate<T> aggregate, String aggregateIdentifier) {
        Long stored = eventStore.lastSequenceNumberFor(aggregateIdentifier).orElse(null);
        return stored != null && stored.equals(aggregate.version());
    }
}
