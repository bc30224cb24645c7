package keyquota.api.store;

import keyquota.api.support.ApiTest;
import keyquota.projections.BatchedWrites;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rebuild's batched writes execute exactly in the order the handlers made them; the last run at the flush. */
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
            assertThat(jdbc.queryForObject("SELECT value FROM batched WHERE id = 2", String.class))
                    .as("the last run waits for the flush").isEqualTo("b2");
            writes.flush();
            return jdbc.queryForList("SELECT id || '=' || coalesce(value, 'null') FROM batched ORDER BY id",
                    String.class);
        });
        assertThat(rows).containsExactly("1=a2", "2=null");
    }
}
