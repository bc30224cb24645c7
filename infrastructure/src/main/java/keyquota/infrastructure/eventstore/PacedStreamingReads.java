package keyquota.infrastructure.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The event storage as the event store sees it, with the reads of its one reader for the streaming read models
 * (the audit log, notifications) spaced at least a {@code pause} apart; everything else passes straight through.
 * <p>
 * That reader (Axon's {@code EmbeddedEventStore} producer, the only caller that may block) reads again at once
 * for as long as its last read found a new event: under a steady command load it read one or two events at a
 * time, each read a transaction with an empty read after the new events and a check for a gap beyond them, five
 * to seven statements for every event stored, as many as the command made itself (the benchmark's statements per
 * stored event). Spaced, one read takes the events of a pause at once, and the processors handle them in one
 * batch. The streaming read models lag the commands by up to one pause more.
 */
final class PacedStreamingReads implements EventStorageEngine {

    private final EventStorageEngine storage;
    private final long pauseNanos;
    /** Touched by the reader's thread alone. */
    private long lastStreamingRead = System.nanoTime();

    PacedStreamingReads(EventStorageEngine storage, Duration pause) {
        this.storage = storage;
        this.pauseNanos = pause.toNanos();
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        if (mayBlock) {
            long wait;
            while ((wait = lastStreamingRead + pauseNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
            lastStreamingRead = System.nanoTime();
        }
        return storage.readEvents(trackingToken, mayBlock);
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        storage.appendEvents(events);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        storage.storeSnapshot(snapshot);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        return storage.readEvents(aggregateIdentifier);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return storage.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return storage.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return storage.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return storage.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return storage.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return storage.createTokenAt(dateTime);
    }
}
