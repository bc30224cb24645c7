package keyquota.infrastructure.readmodel;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Writes gathered into JDBC batches, for a rebuild, whose handlers only write. The statements are sorted into
 * waves: within a wave, each scope's statements all have the same SQL, so the wave's batches (one per SQL, each
 * sent to PostgreSQL in one round trip) may run in any order, and every scope's statements still run in the order
 * the handlers made them. A statement without a scope may touch any row: it goes after everything before it.
 * A key created, extended and deleted is then three batches for all the keys of a flush, not three round trips for
 * each. {@link #flush()} sends what is gathered; it must be called before the transaction commits.
 */
public final class BatchedWrites implements ReadModelWrites {

    private final JdbcTemplate jdbc;
    private final List<Map<String, List<Object[]>>> waves = new ArrayList<>();
    private final Map<Object, Place> lastInScope = new HashMap<>();
    private Place lastUnscoped;
    private OptionalLong eventPosition = OptionalLong.empty();

    public BatchedWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Where a statement went: its wave and its SQL. */
    private record Place(int wave, String sql) {

        /** The first wave a statement with this SQL may take after this one. */
        int next(String sql) {
            return this.sql.equals(sql) ? wave : wave + 1;
        }
    }

    @Override
    public void update(String sql, Object... params) {
        int wave = 0;
        if (!waves.isEmpty()) {
            int last = waves.size() - 1;
            wave = waves.get(last).keySet().equals(Set.of(sql)) ? last : last + 1;
        }
        lastUnscoped = add(wave, sql, params);
    }

    @Override
    public void updateIn(Object scope, String sql, Object... params) {
        Place last = lastInScope.get(scope);
        int wave = Math.max(last == null ? 0 : last.next(sql), lastUnscoped == null ? 0 : lastUnscoped.next(sql));
        lastInScope.put(scope, add(wave, sql, params));
    }

    private Place add(int wave, String sql, Object[] params) {
        if (wave == waves.size()) {
            waves.add(new LinkedHashMap<>());
        }
        waves.get(wave).computeIfAbsent(sql, batch -> new ArrayList<>()).add(params);
        return new Place(wave, sql);
    }

    /** The global index of the event the handlers get next. */
    public void handling(long position) {
        eventPosition = OptionalLong.of(position);
    }

    @Override
    public OptionalLong eventPosition() {
        return eventPosition;
    }

    /** Executes the statements not yet sent. */
    public void flush() {
        for (Map<String, List<Object[]>> wave : waves) {
            wave.forEach(jdbc::batchUpdate);
        }
        waves.clear();
        lastInScope.clear();
        lastUnscoped = null;
    }
}
