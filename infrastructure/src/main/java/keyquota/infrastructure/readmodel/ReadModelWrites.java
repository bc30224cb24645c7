package keyquota.infrastructure.readmodel;

import java.util.OptionalLong;

/**
 * Where a read model's event handlers write. Statements are gathered and sent in JDBC batches
 * ({@link BatchedWrites}), waiting on PostgreSQL once per batch instead of once per statement: live, those of the
 * unit of work that handles the events, as it commits, in its transaction ({@link UnitOfWorkWrites}); in a rebuild,
 * those of a batch of the store.
 */
public interface ReadModelWrites {

    /** Executes (now or with the batch) one INSERT, UPDATE or DELETE with positional parameters. */
    void update(String sql, Object... params);

    /**
     * Like {@link #update(String, Object...)}, for a statement that touches only the rows of one scope (a key, a
     * project's quota of one service): statements of different scopes touch different rows, so a rebuild may run
     * them in another order than it runs each scope's own, and batch far more of them together.
     *
     * @param scope a value equal for every statement on these rows, and for no statement on other rows
     */
    void updateIn(Object scope, String sql, Object... params);

    /**
     * The global index of the event being handled, where the writer knows it: a rebuild reads the store in order
     * and does; a live streaming processor's token holds the highest index it has seen, which is another event's
     * when this one committed after a later one.
     */
    OptionalLong eventPosition();
}
