package keyquota.infrastructure.readmodel;

import keyquota.infrastructure.eventstore.AxonTables;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Rebuilds a read model from the event store while the service keeps serving from the current copy.
 * <p>
 * The events are replayed through a fresh instance of the read model's handlers into copies of its tables in a
 * schema of their own, in batches; the copies get their other indexes and their statistics once they have caught
 * up (one pass over a full table is far cheaper than keeping an index up to date row by row). Then, holding a lock
 * that stops writers but not readers, the rebuild applies the events committed meanwhile, and the copies take the
 * live tables' place, names and indexes' names included; only that last moment stops readers too. Readers see the
 * old copy until the commit and the new one after it; a command blocked by the lock writes its change into the
 * new copy. Only the read model's own handlers see the replayed events, so nothing with an effect outside the read
 * model runs twice.
 */
@Service
public class ReadModelRebuild implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuild.class);
    private static final int BATCH = 1000;
    /** A rebuild that has not reported for this long is taken to have died with its node. */
    private static final Duration ABANDONED = Duration.ofSeconds(60);

    private final EventStorageEngine events;
    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AxonTables axon;
    private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "read-model-rebuild"));

    public ReadModelRebuild(EventStorageEngine events, JdbcClient jdbc, JdbcTemplate batches,
                            TransactionTemplate transactions, Clock clock, AxonTables axon) {
        this.events = events;
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.clock = clock;
        this.axon = axon;
    }

    /** Starts a rebuild, unless one of this read model is already running on some node. */
    public void start(ReadModel model) {
        String name = model.name();
        Instant now = clock.instant();
        int claimed = jdbc.sql("""
                        INSERT INTO projection_rebuild (name, state, position, head_position, started_at, updated_at)
                        VALUES (:name, 'REBUILDING', 0, :head, :now, :now)
                        ON CONFLICT (name) DO UPDATE
                        SET state = 'REBUILDING', position = 0, head_position = :head, started_at = :now,
                            updated_at = :now, finished_at = NULL, failure = NULL
                        WHERE projection_rebuild.state <> 'REBUILDING' OR projection_rebuild.updated_at < :abandoned""")
                .param("name", name)
                .param("head", axon.head())
                .param("now", Timestamp.from(now))
                .param("abandoned", Timestamp.from(now.minus(ABANDONED)))
                .update();
        if (claimed == 1) {
            rebuilds.submit(() -> rebuild(model));
        }
    }

    private void rebuild(ReadModel model) {
        String schema = "rebuild_" + model.name();
        String retired = "retired_" + model.name();
        try {
            Instant started = clock.instant();
            createShadowTables(model, schema, retired);
            BatchedWrites writes = new BatchedWrites(batches);
            Replay replay = new Replay(new AnnotationEventHandlerAdapter(model.handlers().apply(jdbc, writes)),
                    writes);
            TrackingToken caughtUp = catchUp(model, schema, replay);
            transactions.executeWithoutResult(tx -> completeShadowTables(model, schema));
            Instant swapping = clock.instant();
            long applied = transactions.execute(tx -> swap(model, schema, retired, replay, caughtUp));
            log.info("Rebuilt read model {} up to event {} in {} (the swap under the lock: {})", model.name(),
                    applied, Duration.between(started, clock.instant()), Duration.between(swapping, clock.instant()));
        } catch (RuntimeException e) {
            log.error("Rebuilding read model {} failed; the current copy stays", model.name(), e);
            jdbc.sql("UPDATE projection_rebuild SET state = 'FAILED', failure = ?, updated_at = ? WHERE name = ?")
                    .params(String.valueOf(e.getMessage()), Timestamp.from(clock.instant()), model.name())
                    .update();
        } finally {
            jdbc.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
            jdbc.sql("DROP SCHEMA IF EXISTS " + retired + " CASCADE").update();
        }
    }

    /**
     * Copies of the live tables with their columns, defaults and checks, and of their indexes only the unique
     * ones, under the live names: the handlers' upserts need them and their lookups use them.
     */
    private void createShadowTables(ReadModel model, String schema, String retired) {
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
            jdbc.sql("DROP SCHEMA IF EXISTS " + retired + " CASCADE").update();
            jdbc.sql("CREATE SCHEMA " + schema).update();
            for (String table : model.tables()) {
                jdbc.sql("CREATE TABLE " + schema + "." + table + " (LIKE public." + table
                        + " INCLUDING ALL EXCLUDING INDEXES)").update();
                jdbc.sql("""
                                SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                                WHERE conrelid = CAST(? AS regclass) AND contype IN ('p', 'u') ORDER BY conname""")
                        .param("public." + table)
                        .query((rs, n) -> "ALTER TABLE " + schema + "." + table + " ADD CONSTRAINT "
                                + rs.getString(1) + " " + rs.getString(2))
                        .list()
                        .forEach(constraint -> jdbc.sql(constraint).update());
                indexes(table, schema, true).forEach(index -> jdbc.sql(index).update());
            }
        });
    }

    /** The copies' other indexes, built in one pass each, and the statistics the planner needs for them. */
    private void completeShadowTables(ReadModel model, String schema) {
        for (String table : model.tables()) {
            indexes(table, schema, false).forEach(index -> jdbc.sql(index).update());
            jdbc.sql("ANALYZE " + schema + "." + table).update();
        }
    }

    /** The live table's indexes that back no constraint, unique or not, as statements building them in the copy. */
    private List<String> indexes(String table, String schema, boolean unique) {
        String live = " ON public." + table + " ";
        return jdbc.sql("""
                        SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                        WHERE i.indrelid = CAST(? AS regclass) AND i.indisunique = ?
                          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                        ORDER BY i.indexrelid""")
                .params("public." + table, unique)
                .query(String.class)
                .list()
                .stream()
                .map(definition -> {
                    if (!definition.contains(live)) {
                        throw new IllegalStateException("Unexpected index definition: " + definition);
                    }
                    return definition.replace(live, " ON " + schema + "." + table + " ");
                })
                .toList();
    }

    /** Replays the events into the shadow tables, a batch per transaction, until none are left. */
    private TrackingToken catchUp(ReadModel model, String schema, Replay replay) {
        TrackingToken position = null;
        while (true) {
            TrackingToken from = position;
            TrackingToken next = transactions.execute(tx -> applyBatch(model, schema, replay, from));
            if (Objects.equals(next, from)) {
                return position;
            }
            position = next;
        }
    }

    /** Applies up to one batch of events after the position to the shadow tables; returns the new position. */
    private TrackingToken applyBatch(ReadModel model, String schema, Replay replay,
                                     TrackingToken after) {
        useShadowTables(schema);
        TrackingToken position = apply(replay, after, BATCH);
        jdbc.sql("UPDATE projection_rebuild SET position = ?, updated_at = ? WHERE name = ?")
                .params(positionOf(position), Timestamp.from(clock.instant()), model.name())
                .update();
        return position;
    }

    /**
     * Stops writers (not readers), applies what was committed meanwhile, and puts the copies in the live tables'
     * place: moving a table to another schema changes no data, so readers wait only for that moment.
     */
    private long swap(ReadModel model, String schema, String retired, Replay replay, TrackingToken after) {
        useShadowTables(schema);
        jdbc.sql("LOCK TABLE " + String.join(", ", model.tables().stream().map(t -> "public." + t).toList())
                + " IN EXCLUSIVE MODE").update();
        TrackingToken position = after;
        TrackingToken next = apply(replay, position, Long.MAX_VALUE);
        while (!Objects.equals(next, position)) {
            position = next;
            next = apply(replay, position, Long.MAX_VALUE);
        }
        jdbc.sql("CREATE SCHEMA " + retired).update();
        for (String table : model.tables()) {
            jdbc.sql("ALTER TABLE public." + table + " SET SCHEMA " + retired).update();
            jdbc.sql("ALTER TABLE " + schema + "." + table + " SET SCHEMA public").update();
        }
        long reached = positionOf(position);
        jdbc.sql("""
                        UPDATE projection_rebuild SET state = 'DONE', position = ?, updated_at = ?, finished_at = ?
                        WHERE name = ?""")
                .params(reached, Timestamp.from(clock.instant()), Timestamp.from(clock.instant()), model.name())
                .update();
        return reached;
    }

    /** Applies up to {@code limit} events after the position; returns the position of the last (or the same). */
    private TrackingToken apply(Replay replay, TrackingToken after, long limit) {
        TrackingToken position = after;
        try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(after, false).limit(limit)) {
            Iterator<? extends TrackedEventMessage<?>> iterator = stream.iterator();
            while (iterator.hasNext()) {
                TrackedEventMessage<?> event = iterator.next();
                replay.writes().handling(indexOf(event.trackingToken(), position));
                handle(replay.handlers(), event);
                position = event.trackingToken();
            }
        }
        replay.writes().flush();
        return position;
    }

    private void useShadowTables(String schema) {
        jdbc.sql("SET LOCAL search_path TO " + schema + ", public").update();
    }

    /** A fresh instance of a read model's handlers and the batches they write into. */
    private record Replay(AnnotationEventHandlerAdapter handlers, BatchedWrites writes) {
    }

    private static void handle(AnnotationEventHandlerAdapter adapter, TrackedEventMessage<?> event) {
        if (adapter.canHandle(event)) {
            try {
                adapter.handle(event);
            } catch (Exception e) {
                throw new IllegalStateException("Event " + event.getIdentifier() + " could not be applied", e);
            }
        }
    }

    /**
     * The event's own global index, from the stream's token after it and the one before: the new highest index,
     * or, for an event that committed after a later one, the gap it filled.
     */
    static long indexOf(TrackingToken token, TrackingToken before) {
        GapAwareTrackingToken after = (GapAwareTrackingToken) token;
        if (!(before instanceof GapAwareTrackingToken previous) || after.getIndex() > previous.getIndex()) {
            return after.getIndex();
        }
        return previous.getGaps().stream().filter(gap -> !after.getGaps().contains(gap)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No event between " + previous + " and " + after));
    }

    private static long positionOf(TrackingToken token) {
        return token == null ? 0 : token.position().orElse(0);
    }

    @Override
    public void destroy() {
        rebuilds.shutdownNow();
    }
}
