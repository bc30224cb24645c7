package keyquota.api.store;

import keyquota.api.support.ApiTest;
import keyquota.infrastructure.readmodel.BatchedWrites;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rebuild's batched writes keep each scope's statements in the order the handlers made them, put a statement
 * without a scope after everything before it, and send the statements of different scopes together.
 */
class BatchedWritesTest extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void statementsOfDifferentSqlKeepTheirOrder() {
        List<String> rows = transactions.execute(tx -> {
            jdbc.execute("CREATE TEMPORARY TABLE batched (id INT PRIMARY KEY, value TEXT) ON COMMIT DROP");
            BatchedWrites writes = new BatchedWrites(jdbc);
            writes.update("INSERT INTO batched (id, value) VALUES (?, ?)", 1, "a");
            writes.update("INSERT INTO batched (id, value) VALUES (?, ?)", 2, "b");
            writes.update("UPDATE batched SET value = ? WHERE id = ?", "a2", 1);
            writes.update("DELETE FROM batched WHERE id = ?", 2);
            writes.update("INSERT INTO batched (id, value) VALUES (?, ?)", 2, "b2");
            writes.update("UPDATE batched SET value = ? WHERE id = ?", null, 2);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM batched", Integer.class)).as("sent at the flush")
                    .isZero();
            writes.flush();
            return jdbc.queryForList("SELECT id || '=' || coalesce(value, 'null') FROM batched ORDER BY id",
                    String.class);
        });
        assertThat(rows).containsExactly("1=a2", "2=null");
    }

    @Test
    void statementsOfDifferentScopesAreBatchedTogetherAndEachScopeKeepsItsOrder() {
        List<String> executed = transactions.execute(tx -> {
            jdbc.execute("CREATE TEMPORARY TABLE steps (seq SERIAL PRIMARY KEY, step TEXT) ON COMMIT DROP");
            BatchedWrites writes = new BatchedWrites(jdbc);
            for (String key : List.of("k1", "k2", "k3")) {
                writes.updateIn(key, "INSERT INTO steps (step) VALUES ('create ' || ?)", key);
                writes.updateIn(key, "INSERT INTO steps (step) VALUES ('extend ' || ?)", key);
            }
            writes.update("INSERT INTO steps (step) VALUES ('unscoped ' || ?)", "u");
            writes.updateIn("k1", "INSERT INTO steps (step) VALUES ('extend ' || ?)", "k1");
            writes.updateIn("k4", "INSERT INTO steps (step) VALUES ('create ' || ?)", "k4");
            writes.updateIn("k1", "INSERT INTO steps (step) VALUES ('delete ' || ?)", "k1");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM steps", Integer.class)).as("sent at the flush")
                    .isZero();
            writes.flush();
            return jdbc.queryForList("SELECT step FROM steps ORDER BY seq", String.class);
        });
        assertThat(executed).containsExactly(
                "create k1", "create k2", "create k3", "extend k1", "extend k2", "extend k3",
                "unscoped u",
                "extend k1", "create k4", "delete k1");
    }
}
