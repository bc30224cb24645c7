package keyquota.application.projection;

import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Events a streaming read model could not apply, parked so that it could go on; the operator retries them. */
@Service
public class DeadLetters {

    /** Retrying stops after this many sequences, so that one request never runs unbounded. */
    private static final int MAX_RETRIES_PER_REQUEST = 1000;

    private final JdbcClient jdbc;
    private final EventProcessingConfiguration processors;

    public DeadLetters(JdbcClient jdbc, EventProcessingConfiguration processors) {
        this.jdbc = jdbc;
        this.processors = processors;
    }

    /** @param cause the failure's type and message, as the handler raised it */
    public record DeadLetter(String processingGroup, String eventIdentifier, String eventType,
                             String aggregateIdentifier, Long sequenceNumber, String causeType, String cause,
                             Instant enqueuedAt, Instant lastTouched) {
    }

    public record RetryOutcome(int retried, int remaining) {
    }

    public List<DeadLetter> list(Principal principal) {
        Access.ensureOperator(principal);
        return jdbc.sql("""
                        SELECT processing_group, event_identifier, payload_type, aggregate_identifier,
                               sequence_number, cause_type, cause_message, enqueued_at, last_touched
                        FROM dead_letter_entry ORDER BY processing_group, sequence_identifier, sequence_index""")
                .query((rs, n) -> new DeadLetter(rs.getString("processing_group"), rs.getString("event_identifier"),
                        rs.getString("payload_type"), rs.getString("aggregate_identifier"),
                        rs.getObject("sequence_number", Long.class), rs.getString("cause_type"),
                        rs.getString("cause_message"), Instant.parse(rs.getString("enqueued_at")),
                        rs.getString("last_touched") == null ? null : Instant.parse(rs.getString("last_touched"))))
                .list();
    }

    /** Retries every parked sequence once, oldest first; what fails again stays parked. */
    public RetryOutcome retry(Principal principal) {
        Access.ensureOperator(principal);
        List<String> groups = jdbc.sql("SELECT DISTINCT processing_group FROM dead_letter_entry")
                .query(String.class).list();
        int retried = 0;
        for (String group : groups) {
            Optional<SequencedDeadLetterProcessor<EventMessage<?>>> processor =
                    processors.sequencedDeadLetterProcessor(group);
            if (processor.isPresent()) {
                int sequences = sequencesIn(group);
                for (int i = 0; i < sequences && retried < MAX_RETRIES_PER_REQUEST; i++) {
                    if (processor.get().processAny()) {
                        retried++;
                    }
                }
            }
        }
        return new RetryOutcome(retried, jdbc.sql("SELECT count(*) FROM dead_letter_entry").query(Integer.class)
                .single());
    }

    private int sequencesIn(String group) {
        return jdbc.sql("SELECT count(DISTINCT sequence_identifier) FROM dead_letter_entry WHERE processing_group = ?")
                .param(group).query(Integer.class).single();
    }
}
