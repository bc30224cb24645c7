package keyquota.application.projection;

import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.projections.BatchedWrites;
import keyquota.projections.ReadModel;
import keyquota.projections.ReadModels;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
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
 * schema of their own, in batches. Then, holding a lock that stops writers but not readers, the rebuild applies
 * the events committed meanwhile and copies the result over the live tables in one transaction. Readers see the
 * old copy until that commit and the new one after it; a command blocked by the lock writes its change on top of
 * the new copy. Only the read model's own handlers see the replayed events, so nothing with an effect outside
 * the read model runs twice.
 */
@Service
public class ReadModelRebuild implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuild.class);
    private static final int BATCH = 1000;
    /** A rebuild that has not reported for this long is taken to have died with its node. */
    private static final Duration ABANDONED = Duration.ofSeconds(60);

    private final ReadModels readModels;
    private final EventStorageEngine events;
    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ProjectionPositions positions;
    private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "read-model-rebuild"));

    public ReadModelRebuild(ReadModels readModels, EventStorageEngine events, JdbcClient jdbc, JdbcTemplate batches,
                            TransactionTemplate transactions, Clock clock, ProjectionPositions positions) {
        this.readModels = readModels;
        this.events = events;
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.clock = clock;
        this.positions = positions;
    }

    public List<ProjectionStatus> status(Principal principal) {
        Access.ensureOperator(principal);
        long head = positions.head();
        return readModels.all().stream().map(model -> positions.status(model, head)).toList();
    }

    /** Starts a rebuild, unless one of this read model is already running on some node. */
    public void start(Principal principal, String name) {
        Access.ensureOperator(principal);
        ReadModel model = readModels.find(name).orElseThrow(
                () -> new DomainException(ErrorCode.NOT_FOUND, "No read model named " + name + "."));
        Instant now = clock.instant();
        int claimed = jdbc.sql("""
                        INSERT INTO projection_rebuild (name, state, position, head_position, started_at, updated_at)
                        VALUES (:name, 'REBUILDING', 0, :head, :now, :now)
                        ON CONFLICT (name) DO UPDATE
                        SET state = 'REBUILDING', position = 0, head_position = :head, started_at = :now,
                            updated_at = :now, finished_at = NULL, failure = NULL
                        WHERE projection_rebuild.state <> 'REBUILDING' OR projection_rebuild.updated_at < :abandoned""")
                .param("name", name)
                .param("head", positions.head())
                .param("now", Timestamp.from(now))
                .param("abandoned", Timestamp.from(now.minus(ABANDONED)))
                .update();
        if (claimed == 1) {
            rebuilds.submit(() -> rebuild(model));
        }
    }

    private void rebuild(ReadModel model) {
        String schema = "rebuild_" + model.name();
        try {
            Instant started = clock.instant();
            createShadowTables(model, schema);
            BatchedWrites writes = new BatchedWrites(batches);
            Replay replay = new Replay(new AnnotationEventHandlerAdapter(model.handlers().apply(jdbc, writes)),
                    writes);
            TrackingToken caughtUp = catchUp(model, schema, replay);
            Instant swapping = clock.instant();
            long applied = transactions.execute(tx -> swap(model, schema, replay, caughtUp));
            log.info("Rebuilt read model {} up to event {} in {} (the swap under the lock: {})", model.name(),
                    applied, Duration.between(started, clock.instant()), Duration.between(swapping, clock.instant()));
        } catch (RuntimeException e) {
            log.error("Rebuilding read model {} failed; the current copy stays", model.name(), e);
            jdbc.sql("UPDATE projection_rebuild SET state = 'FAILED', failure = ?, updated_at = ? WHERE name = ?")
                    .params(String.valueOf(e.getMessage()), Timestamp.from(clock.instant()), model.name())
                    .update();
        } finally {
            jdbc.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
        }
    }

    private void createShadowTables(ReadModel model, String schema) {
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE").update();
            jdbc.sql("CREATE SCHEMA " + schema).update();
            for (String table : model.tables()) {
                jdbc.sql("CREATE TABLE " + schema + "." + table + " (LIKE public." + table + " INCLUDING ALL)")
                        .update();
            }
        });
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

    /** Stops writers (not readers), applies what was committed meanwhile, and replaces the live tables. */
    private long swap(ReadModel model, String schema, Replay replay, TrackingToken after) {
        useShadowTables(schema);
        jdbc.sql("LOCK TABLE " + String.join(", ", model.tables().stream().map(t -> "public." + t).toList())
                + " IN EXCLUSIVE MODE").update();
        TrackingToken position = after;
        TrackingToken next = apply(replay, position, Long.MAX_VALUE);
        while (!Objects.equals(next, position)) {
            position = next;
            next = apply(replay, position, Long.MAX_VALUE);
        }
        for (String table : model.tables()) {
            jdbc.sql("DELETE FROM public." + table).update();
            jdbc.sql("INSERT INTO public." + table + " SELECT * FROM " + schema + "." + table).update();
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

    private static long positionOf(TrackingToken token) {
        return token == null ? 0 : token.position().orElse(0);
    }

    @Override
    public void destroy() {
        rebuilds.shutdownNow();
    }
}
