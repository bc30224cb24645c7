package keyquota.infrastructure.eventstore;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The position up to which a streaming read model is complete: every event at or below it has been handled,
 * and no event can still appear below it.
 *
 * <p>A global index is drawn when an event is inserted, so events commit out of order, and a transaction that
 * rolls back leaves a hole that is never filled. A processor's token lists the holes it has passed; trusting
 * them forever freezes the horizon at the first rollback, and ignoring them lets a reader page past an event
 * that commits a moment later. Instead a position is <em>settled</em> once no transaction that could still
 * write an event at or below it is running: read the newest index handed out, then which transactions hold
 * the event table's write lock, and wait until those have ended. A transaction takes that lock before it
 * draws an index and keeps it to its end, so any transaction holding an index up to the one read is among
 * them or already over. Below a settled position, a hole with no event is permanent and a hole with an event
 * is one the processor has yet to handle. Nothing here waits on time-outs or on unrelated transactions.
 */
@Component
public class ProcessorHorizon {

    private static final long POLL_MILLIS = 20;

    private final JdbcClient jdbc;
    private final AxonTables axon;

    /** The highest position this node has seen settle; only ever grows. */
    private final AtomicLong settled = new AtomicLong();
    private volatile Mark pending;

    public ProcessorHorizon(JdbcClient jdbc, AxonTables axon) {
        this.jdbc = jdbc;
        this.axon = axon;
    }

    /** The newest index handed out, and the transactions writing events just after it was read. */
    private record Mark(long position, String[] writers) {
    }

    /** The processor's horizon as far as this node knows now, without waiting. */
    public long horizon(String processor) {
        Mark known = pending;
        Mark mark = known != null ? known : mark();
        if (isSettled(mark)) {
            settled.accumulateAndGet(mark.position(), Math::max);
            pending = null;
        } else {
            pending = mark;
        }
        return handledThrough(processor, settled.get());
    }

    /**
     * Waits, at most {@code atMost}, until the processor has handled every event committed before this call
     * (read-your-writes), and answers its horizon then; when the wait runs out, or the thread is interrupted
     * (its flag is kept), the horizon as it stands.
     */
    public long awaitCurrent(String processor, Duration atMost) {
        Mark target = mark();
        long deadline = System.nanoTime() + atMost.toNanos();
        boolean targetSettled = false;
        while (true) {
            List<AxonTables.Progress> segments = axon.progress(processor);
            if (!targetSettled && (hasSeenEverything(segments, target.position()) || isSettled(target))) {
                targetSettled = true;
                settled.accumulateAndGet(target.position(), Math::max);
            }
            if (targetSettled) {
                long horizon = handledThrough(segments, target.position());
                if (horizon >= target.position()) {
                    return horizon;
                }
            }
            if (System.nanoTime() > deadline) {
                return horizon(processor);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return horizon(processor);
            }
        }
    }

    /** Every segment has read past the position with no gap left below it: nothing there can still come. */
    private static boolean hasSeenEverything(List<AxonTables.Progress> segments, long position) {
        return !segments.isEmpty() && segments.stream().allMatch(segment -> segment.index() >= position
                && segment.gaps().stream().allMatch(gap -> gap > position));
    }

    private long handledThrough(String processor, long settledUpTo) {
        return handledThrough(axon.progress(processor), settledUpTo);
    }

    /**
     * The highest position up to {@code settledUpTo} below which the processor has handled every event: just
     * below the first event at or below it that a segment has not handled, an event in one of its gaps or
     * beyond its index. Holes are passed over, also those beyond the index that no event will ever fill.
     */
    private long handledThrough(List<AxonTables.Progress> segments, long settledUpTo) {
        if (segments.isEmpty()) {
            return 0;
        }
        long horizon = settledUpTo;
        for (AxonTables.Progress segment : segments) {
            if (hasSeenEverything(List.of(segment), settledUpTo)) {
                continue;
            }
            long below = horizon;
            horizon = axon.firstEvent(settledUpTo, segment.index(), segment.gaps())
                    .map(firstUnhandled -> Math.min(below, firstUnhandled - 1))
                    .orElse(below);
        }
        return horizon;
    }

    // Two statements, in this order: a transaction that draws an index after the first need not be among the
    // writers the second finds, but its index is above the position read.
    private Mark mark() {
        long position = axon.newestIndexHandedOut();
        List<String> writers = axon.eventWriters();
        return new Mark(position, writers.toArray(String[]::new));
    }

    /** A transaction holds a lock on its own virtual transaction id until it ends. */
    private boolean isSettled(Mark mark) {
        if (mark.writers().length == 0) {
            return true;
        }
        return jdbc.sql("""
                        SELECT NOT EXISTS (SELECT 1 FROM pg_locks
                                           WHERE locktype = 'virtualxid' AND virtualxid = ANY(?))""")
                .param(mark.writers())
                .query(Boolean.class)
                .single();
    }
}
