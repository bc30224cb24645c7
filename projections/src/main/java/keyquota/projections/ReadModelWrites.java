package keyquota.projections;

/**
 * Where a read model's event handlers write. The live handlers write each statement at once, in the transaction
 * that handles the event ({@link ImmediateWrites}); a rebuild gathers them and sends them in JDBC batches
 * ({@link BatchedWrites}), waiting on PostgreSQL once per batch instead of once per statement.
 */
public interface ReadModelWrites {

    /** Executes (now or with the batch) one INSERT, UPDATE or DELETE with positional parameters. */
    void update(String sql, Object... params);
}
