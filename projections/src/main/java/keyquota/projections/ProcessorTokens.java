package keyquota.projections;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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
     * One segment's progress: it has handled every event up to {@code index} except those at {@code gaps},
     * positions it has not seen an event at (yet, or ever: a gap may be a transaction that rolled back).
     */
    public record Progress(long index, Set<Long> gaps) {
    }

    /** The progress of each of the processor's segments (none handled yet: 0); empty before it has claimed any. */
    public List<Progress> progress(String processor) {
        return jdbc.sql("SELECT convert_from(token, 'UTF8') FROM token_entry WHERE processor_name = ?")
                .param(processor)
                .query(String.class)
                .list().stream()
                .map(token -> token == null ? new Progress(0, Set.of()) : progress(JSON.readTree(token)))
                .toList();
    }

    /** A gap-aware token's progress; a replay token's current one. */
    private static Progress progress(JsonNode token) {
        if (token.has("index")) {
            return new Progress(token.get("index").asLong(),
                    token.path("gaps").valueStream().map(JsonNode::asLong).collect(Collectors.toSet()));
        }
        JsonNode current = token.path("currentToken");
        return current.isMissingNode() ? new Progress(0, Set.of()) : progress(current);
    }
}
