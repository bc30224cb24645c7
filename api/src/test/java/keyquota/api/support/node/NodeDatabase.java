package keyquota.api.support.node;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import keyquota.api.config.EmbeddedDatabaseConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One embedded PostgreSQL that the service processes share, on a fixed port and data folder, so that it can be
 * stopped and started again under the nodes' feet: they keep the same URL and find the same data.
 */
public final class NodeDatabase implements AutoCloseable {

    private final int port;
    private final Path dataDirectory;
    private final Path log;
    private volatile EmbeddedPostgres postgres;

    public NodeDatabase(Path directory) throws IOException {
        this.port = freePort();
        this.dataDirectory = directory.resolve("postgres").toAbsolutePath();
        this.log = directory.resolve("postgres.log").toAbsolutePath();
        Files.createDirectories(dataDirectory);
    }

    /** Starts PostgreSQL on the port and data folder; the first start creates the cluster. */
    public synchronized void start() throws IOException {
        if (postgres != null) {
            throw new IllegalStateException("already running");
        }
        postgres = EmbeddedDatabaseConfiguration.durable(EmbeddedPostgres.builder())
                // what each statement costs, for the benchmark's report (the embedded binaries include it)
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setPort(port)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** Stops PostgreSQL ({@code pg_ctl stop -m fast}: open connections are cut), keeping its data. */
    public synchronized void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /** The URL the nodes are given; user and password go separately, as SPRING_DATASOURCE_USERNAME. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public Path log() {
        return log;
    }

    /** The first column of every row the query returns, as strings. */
    public List<String> column(String sql, Object... parameters) {
        try (Connection connection = connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Executes one statement that returns no rows. */
    public void execute(String sql) {
        try (Connection connection = connect();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** A port nothing listens on at the moment. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
