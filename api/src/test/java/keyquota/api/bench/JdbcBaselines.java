package keyquota.api.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The same work done the plainest way, with JDBC on the service's own PostgreSQL, from the benchmark's JVM: what
 * the service's figures are divided by. The tables live in a schema of their own, {@code bench}, beside the
 * service's.
 */
final class JdbcBaselines {

    private final String url;

    JdbcBaselines(String url) {
        this.url = url;
    }

    /** Single-row INSERTs, each its own commit, from every thread: commits per second. */
    Steady.Result singleRowCommits(int threads, Duration warmUp, Duration measured) throws Exception {
        execute("CREATE SCHEMA IF NOT EXISTS bench",
                "DROP TABLE IF EXISTS bench.commits",
                "CREATE TABLE bench.commits (id BIGSERIAL PRIMARY KEY, thread INT NOT NULL, at BIGINT NOT NULL)");
        return Steady.run(threads, warmUp, measured, thread -> {
            Connection connection = connect();
            PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO bench.commits (thread, at) VALUES (?, ?)");
            return new Steady.Work() {
                @Override
                public void once() throws SQLException {
                    insert.setInt(1, thread);
                    insert.setLong(2, System.nanoTime());
                    insert.executeUpdate();
                }

                @Override
                public void close() throws SQLException {
                    connection.close();
                }
            };
        });
    }

    /**
     * A guarded allocation ({@code used + n <= quota}) and its release on one row, each its own commit, from every
     * thread: pairs per second. The quota has room for every thread at once, so an allocation refused is a fault.
     */
    Steady.Result guardedUpdatePairs(int threads, Duration warmUp, Duration measured) throws Exception {
        execute("CREATE SCHEMA IF NOT EXISTS bench",
                "DROP TABLE IF EXISTS bench.quota",
                "CREATE TABLE bench.quota (id INT PRIMARY KEY, quota BIGINT NOT NULL, used BIGINT NOT NULL)",
                "INSERT INTO bench.quota VALUES (1, " + threads + ", 0)");
        Steady.Result result = Steady.run(threads, warmUp, measured, thread -> {
            Connection connection = connect();
            PreparedStatement allocate = connection.prepareStatement(
                    "UPDATE bench.quota SET used = used + ? WHERE id = 1 AND used + ? <= quota");
            PreparedStatement release = connection.prepareStatement(
                    "UPDATE bench.quota SET used = used - ? WHERE id = 1");
            return new Steady.Work() {
                @Override
                public void once() throws SQLException {
                    allocate.setLong(1, 1);
                    allocate.setLong(2, 1);
                    if (allocate.executeUpdate() != 1) {
                        throw new AssertionError("guarded UPDATE refused with room for every thread");
                    }
                    release.setLong(1, 1);
                    release.executeUpdate();
                }

                @Override
                public void close() throws SQLException {
                    connection.close();
                }
            };
        });
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet used = statement.executeQuery("SELECT used FROM bench.quota WHERE id = 1")) {
            used.next();
            if (used.getLong(1) != 0) {
                throw new AssertionError("baseline quota row left at " + used.getLong(1) + " after every release");
            }
        }
        return result;
    }

    /**
     * Every event of the store read in global order with their payloads, as a replay reads them, but with no
     * deserialising or writing: the bound a replay could approach. Events per second.
     */
    double storeScan() throws SQLException {
        try (Connection connection = connect()) {
            // a cursor (not the whole result in memory) needs a transaction
            connection.setAutoCommit(false);
            try (PreparedStatement scan = connection.prepareStatement("""
                    SELECT global_index, payload_type, payload, meta_data FROM domain_event_entry
                    ORDER BY global_index""")) {
                scan.setFetchSize(1000);
                long start = System.nanoTime();
                long rows = 0;
                long bytes = 0;
                try (ResultSet events = scan.executeQuery()) {
                    while (events.next()) {
                        rows++;
                        bytes += events.getBytes(3).length;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                connection.rollback();
                if (bytes == 0) {
                    throw new AssertionError("an empty store");
                }
                return rows / seconds;
            }
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }
}
