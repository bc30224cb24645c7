package keyquota.infrastructure.readmodel;

import keyquota.infrastructure.eventstore.AxonTables;
import keyquota.infrastructure.eventstore.ProcessorHorizon;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Where each read model stands, as every node sees it: read models written in the command's transaction are
 * always at the head of the event store; a streaming one is at its horizon (every event up to there handled, none
 * still to come below it); a rebuilding
 * one is where its rebuild is.
 */
@Component
public class ReadModelPositions {

    private final JdbcClient jdbc;
    private final AxonTables axon;
    private final EventProcessingConfiguration processors;
    private final ProcessorHorizon horizon;

    ReadModelPositions(JdbcClient jdbc, AxonTables axon, EventProcessingConfiguration processors,
                       ProcessorHorizon horizon) {
        this.jdbc = jdbc;
        this.axon = axon;
        this.processors = processors;
        this.horizon = horizon;
    }

    /** Where each of the read models stands, against one reading of the store's head. */
    public List<ReadModelStatus> status(List<ReadModel> models) {
        long head = axon.head();
        return models.stream().map(model -> status(model, head)).toList();
    }

    private record Rebuild(String state, long position, long headPosition, String failure) {
    }

    private ReadModelStatus status(ReadModel model, long head) {
        Optional<Rebuild> rebuild = jdbc.sql(
                        "SELECT state, position, head_position, failure FROM projection_rebuild WHERE name = ?")
                .param(model.name())
                .query((rs, n) -> new Rebuild(rs.getString("state"), rs.getLong("position"),
                        rs.getLong("head_position"), rs.getString("failure")))
                .optional();
        String failure = rebuild.filter(r -> r.state().equals("FAILED")).map(Rebuild::failure).orElse(null);
        if (rebuild.isPresent() && rebuild.get().state().equals("REBUILDING")) {
            Rebuild running = rebuild.get();
            return new ReadModelStatus(model.name(), running.position(), head, true,
                    fraction(running.position(), Math.max(running.headPosition(), 1)), null);
        }
        long position = isStreaming(model) ? horizon.horizon(model.name()) : head;
        return new ReadModelStatus(model.name(), position, head, false, head == 0 ? 1.0 : fraction(position, head),
                failure);
    }

    private boolean isStreaming(ReadModel model) {
        return processors.eventProcessor(model.name(), StreamingEventProcessor.class).isPresent();
    }

    private static double fraction(long position, long of) {
        return Math.min(1.0, (double) position / of);
    }
}
