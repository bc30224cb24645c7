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
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import javax.sql.DataSource;

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
 * <p>
 * One rebuild of a read model runs at a time on all nodes: its node holds a PostgreSQL advisory lock on a
 * connection of its own for as long as it runs, which PostgreSQL releases when that node dies. The swap goes ahead
 * only while the lock is still held, and only if the live tables still have the columns, constraints and indexes
 * the copies were made from (a migration during the rebuild fails it instead of being undone).
 */
@Service
public class ReadModelRebuild implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuild.class);
    private static final int BATCH = 1000;

    private final EventStorageEngine events;
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AxonTables axon;
    private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "read-model-rebuild"));

    public ReadModelRebuild(EventStorageEngine events, DataSource dataSource, JdbcClient jdbc, JdbcTemplate batches,
                            TransactionTemplate transactions, Clock clock, AxonTables axon) {
        this.events = events;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.clock = clock;
        this.axon = axon;
    }

    /** Starts a rebuild, unless one of this read model is already running on some node. */
    public void start(ReadModel model) {
        Lock lock = Lock.tryTake(dataSource, model.name());
        if (lock == null) {
            return;
        }
        try {
            Instant now = clock.instant();
            jdbc.sql("""
                            INSERT INTO projection_rebuild (name, state, position, head_position, started_at, updated_at)
                            VALUES (:name, 'REBUILDING', 0, :head, :now, :now)
                            ON CONFLICT (name) DO UPDATE
                            SET state = 'REBUILDING', position = 0, head_position = :head, started_at = :now,
                                updated_at = :now, finished_at = NULL, failure = NULL""")
                    .param("name", model.name())
                    .param("head", axon.head())
                    .param("now", Timestamp.from(now))
                    .update();
            rebuilds.submit(() -> {
                try (lock) {
                    rebuild(model, lock);
                }
            });
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The advisory lock of one read model's rebuild, held by a connection of its own. */
    private record Lock(Connection connection, String key, int backend) implements AutoCloseable {

        static Lock tryTake(DataSource dataSource, String name) {
            String key = "keyquota.read-model-rebuild." + name;
            Connection connection = null;
            try {
                connection = dataSource.getConnection();
                try (PreparedStatement take = connection.prepareStatement(
                        "SELECT pg_try_advisory_lock(hashtext(?)), pg_backend_pid()")) {
                    take.setString(1, key);
                    try (ResultSet taken = take.executeQuery()) {
                        taken.next();
                        if (taken.getBoolean(1)) {
                            return new Lock(connection, key, taken.getInt(2));
                        }
                    }
                }
                JdbcUtils.closeConnection(connection);
                return null;
            } catch (SQLException e) {
                JdbcUtils.closeConnection(connection);
                throw new IllegalStateException("Could not take the rebuild lock of " + name, e);
            }
        }

        /** Whether the lock's connection still holds it (it loses it with the connection). */
        boolean isHeld(JdbcClient jdbc) {
            return jdbc.sql("""
                            SELECT count(*) > 0 FROM pg_locks
                            WHERE locktype = 'advisory' AND granted AND pid = ? AND objid = CAST(hashtext(?) AS oid)""")
                    .params(backend, key)
                    .query(Boolean.class)
                    .single();
        }

        /** Asked in the transaction that is about to swap, after it has locked the live tables. */
        void ensureHeld(JdbcClient jdbc) {
            if (!isHeld(jdbc)) {
                throw new IllegalStateException("The rebuild lost its lock (its connection was lost); the copy is "
                        + "not swapped in");
            }
        }

        @Override
        public void close() {
            try (PreparedStatement release = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                release.setString(1, key);
                release.execute();
            } catch (SQLException lost) {
                // a lost connection has released the lock already
            } finally {
                JdbcUtils.closeConnection(connection);
            }
        }
    }

    private void rebuild(ReadModel model, Lock lock) {
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
            long applied = transactions.execute(tx -> swap(model, schema, retired, replay, caughtUp, lock));
            log.info("Rebuilt read model {} up to event {} in {} (the swap under the lock: {})", model.name(),
                    applied, Duration.between(started, clock.instant()), Duration.between(swapping, clock.instant()));
        } catch (RuntimeException e) {
            log.error("Rebuilding read model {} failed; the current copy stays", model.name(), e);
            jdbc.sql("UPDATE public.projection_rebuild SET state = 'FAILED', failure = ?, updated_at = ? WHERE name = ?")
                    .params(String.valueOf(e.getMessage()), Timestamp.from(clock.instant()), model.name())
                    .update();
        } finally {
            // Without the lock another node may be rebuilding into these schemas; it drops what is left itself.
            if (lock.isHeld(jdbc)) {
                jdbc.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
                jdbc.sql("DROP SCHEMA IF EXISTS " + retired + " CASCADE").update();
            }
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
        jdbc.sql("UPDATE public.projection_rebuild SET position = ?, updated_at = ? WHERE name = ?")
                .params(positionOf(position), Timestamp.from(clock.instant()), model.name())
                .update();
        return position;
    }

    /**
     * Stops writers (not readers), applies what was committed meanwhile, and puts the copies in the live tables'
     * place: moving a table to another schema changes no data, so readers wait only for that moment.
     */
    private long swap(ReadModel model, String schema, String retired, Replay replay, TrackingToken after,
                      Lock lock) {
        useShadowTables(schema);
        jdbc.sql("LOCK TABLE " + String.join(", ", model.tables().stream().map(t -> "public." + t).toList())
                + " IN EXCLUSIVE MODE").update();
        lock.ensureHeld(jdbc);
        for (String table : model.tables()) {
            ensureSameStructure(table, schema);
        }
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
                        UPDATE public.projection_rebuild SET state = 'DONE', position = ?, updated_at = ?, finished_at = ?
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

    /** The live table still has the columns, constraints and indexes its copy was made from. */
    private void ensureSameStructure(String table, String schema) {
        if (!structure("public", table).equals(structure(schema, table))) {
            throw new IllegalStateException("Table " + table + " changed during the rebuild (a migration?); the "
                    + "copy is not swapped in");
        }
    }

    private List<String> structure(String schema, String table) {
        List<String> structure = new ArrayList<>(jdbc.sql("""
                        SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
                        FROM information_schema.columns WHERE table_schema = ? AND table_name = ?
                        ORDER BY ordinal_position""")
                .params(schema, table).query(String.class).list());
        structure.addAll(jdbc.sql("""
                        SELECT indexname || ' ' || replace(indexdef, ' ON ' || schemaname || '.', ' ON ')
                        FROM pg_indexes WHERE schemaname = ? AND tablename = ? ORDER BY indexname""")
                .params(schema, table).query(String.class).list());
        structure.addAll(jdbc.sql("""
                        SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                        WHERE conrelid = CAST(? AS regclass) ORDER BY conname""")
                .param(schema + "." + table).query(String.class).list());
        return structure;
    }

    /**
     * The handlers' tables are the copies; Axon's, read in the same transaction, are found in public. A rebuild runs
     * each handler's statement thousands of times with other values: PostgreSQL would plan a statement whose rows
     * come from parameter arrays (the usage history's) anew each time, as planning took longer than running it.
     */
    private void useShadowTables(String schema) {
        jdbc.sql("SET LOCAL search_path TO " + schema + ", public").update();
        jdbc.sql("SET LOCAL plan_cache_mode = force_generic_plan").update();
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
        // the highest: Axon may also have dropped its oldest gaps (gap cleaning), never one above the filled one
        return previous.getGaps().stream().filter(gap -> !after.getGaps().contains(gap)).max(Long::compare)
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
