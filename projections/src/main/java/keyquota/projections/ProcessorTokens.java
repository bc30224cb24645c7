package keyquota.projections;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How far a streaming processor has got, as every node sees it: read from the token store they share, where
 * Axon keeps its tokens as JSON.
 */
@Component
public class ProcessorTokens {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    public ProcessorTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The position up to which every event has been through the processor: over its segments, the lowest of the
     * token's index or, where it still waits for an earlier event (a gap), the position just below that gap.
     * 0 before the processor has stored a token.
     */
    public long contiguousPosition(String processor) {
        return jdbc.sql("""
                        SELECT convert_from(token, 'UTF8') FROM token_entry
                        WHERE processor_name = ? AND token IS NOT NULL""")
                .param(processor)
                .query(String.class)
                .list().stream()
                .mapToLong(token -> contiguous(JSON.readTree(token)))
                .min()
                .orElse(0);
    }

    /** A gap-aware token's position; a replay token's current one. */
    private static long contiguous(JsonNode token) {
        if (token.has("index")) {
            long lowestGap = token.path("gaps").valueStream().mapToLong(JsonNode::asLong).min().orElse(Long.MAX_VALUE);
            return Math.min(token.get("index").asLong(), lowestGap - 1);
        }
        JsonNode current = token.path("currentToken");
        return current.isMissingNode() ? 0 : contiguous(current);
    }
}
