package keyquota.projections.key;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/**
 * When each key was last used, as the nodes report it in batches. Not a read model of the event store: a use is
 * no event, and rebuilding the key list leaves this table alone.
 */
@Component
public class KeyLastUse {

    /** @param by the service it was verified for, or {@code API} for its own calls */
    public record Use(UUID keyId, Instant at, String by) {
    }

    private final JdbcTemplate jdbc;

    public KeyLastUse(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One statement for the whole batch; a later use already stored (by another node) is kept. */
    public void record(Collection<Use> uses) {
        if (uses.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                        INSERT INTO key_last_use (key_id, last_used_at, last_used_by) VALUES (?, ?, ?)
                        ON CONFLICT (key_id) DO UPDATE SET last_used_at = EXCLUDED.last_used_at,
                                                           last_used_by = EXCLUDED.last_used_by
                        WHERE key_last_use.last_used_at < EXCLUDED.last_used_at""",
                uses.stream().map(use -> new Object[]{use.keyId(), Timestamp.from(use.at()), use.by()}).toList());
    }
}
