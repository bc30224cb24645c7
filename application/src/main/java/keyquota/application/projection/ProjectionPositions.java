package keyquota.application.projection;

import keyquota.projections.ProcessorHorizon;
import keyquota.projections.ReadModel;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Where each read model stands, as every node sees it: read models written in the command's transaction are
 * always at the head of the event store; a streaming one is at its horizon (every event up to there handled, none
 * still to come below it); a rebuilding
 * one is where its rebuild is.
 */
@Component
class ProjectionPositions {

    private final JdbcClient jdbc;
    private final EventProcessingConfiguration processors;
    private final ProcessorHorizon horizon;

    ProjectionPositions(JdbcClient jdbc, EventProcessingConfiguration processors, ProcessorHorizon horizon) {
        this.jdbc = jdbc;
        this.processors = processors;
        this.horizon = horizon;
    }

    long head() {
        return jdbc.sql("SELECT coalesce(max(global_index), 0) FROM domain_event_entry").query(Long.class).single();
    }

    private record Rebuild(String state, long position, long headPosition, String failure) {
    }

    ProjectionStatus status(ReadModel model, long head) {
        Optional<Rebuild> rebuild = jdbc.sql(
                        "SELECT state, position, head_position, failure FROM projection_rebuild WHERE name = ?")
                .param(model.name())
                .query((rs, n) -> new Rebuild(rs.getString("state"), rs.getLong("position"),
                        rs.getLong("head_position"), rs.getString("failure")))
                .optional();
        String failure = rebuild.filter(r -> r.state().equals("FAILED")).map(Rebuild::failure).orElse(null);
        if (rebuild.isPresent() && rebuild.get().state().equals("REBUILDING")) {
            Rebuild running = rebuild.get();
            return new ProjectionStatus(model.name(), running.position(), head, true,
                    fraction(running.position(), Math.max(running.headPosition(), 1)), null);
        }
        long position = isStreaming(model) ? horizon.horizon(model.name()) : head;
        return new ProjectionStatus(model.name(), position, head, false, head == 0 ? 1.0 : fraction(position, head),
                failure);
    }

    private boolean isStreaming(ReadModel model) {
        return processors.eventProcessor(model.name(), StreamingEventProcessor.class).isPresent();
    }

    private static double fraction(long position, long of) {
        return Math.min(1.0, (double) position / of);
    }
}
