package keyquota.projections;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes gathered into JDBC batches, for a rebuild, whose handlers only write. A run of statements with the same
 * SQL becomes one batch, sent to PostgreSQL in one round trip; a statement with other SQL sends the run before it
 * first, so the statements execute exactly in the order the handlers made them. {@link #flush()} sends the last
 * run; it must be called before the transaction commits.
 */
public final class BatchedWrites implements ReadModelWrites {

    private final JdbcTemplate jdbc;
    private final List<Object[]> run = new ArrayList<>();
    private String sql;

    public BatchedWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void update(String sql, Object... params) {
        if (!sql.equals(this.sql)) {
            flush();
            this.sql = sql;
        }
        run.add(params);
    }

    /** Executes the statements not yet sent. */
    public void flush() {
        if (!run.isEmpty()) {
            jdbc.batchUpdate(sql, run);
            run.clear();
        }
    }
}
