package keyquota.api.error;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Tells a lost database apart from every other failure, however Axon, Spring, Hikari or the driver wrap it:
 * refused, reset, terminated by the server, closed under us, or timed out while waiting for a connection.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * True when the failure, or any of its causes, says the database cannot be reached right now. Spring's
     * resource-failure exceptions are not taken at their word (they also stand for errors of ours, such as a
     * value too large for an index); the SQL failure underneath decides.
     */
    public static boolean isUnavailable(Throwable failure) {
        boolean underSql = false;
        for (Throwable t : causes(failure)) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                underSql = true;
                if (sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException
                        || sql instanceof SQLRecoverableException || isUnavailableState(sql.getSQLState())
                        || isClosedByThePool(sql)) {
                    return true;
                }
            }
            // the driver's I/O failure, but not, say, a webhook's
            if (underSql && (t instanceof ConnectException || t instanceof SocketException)) {
                return true;
            }
        }
        return false;
    }

    /** True when the database refused a transaction for racing another: a deadlock or a serialization failure. */
    public static boolean isConflict(Throwable failure) {
        return causes(failure).stream().anyMatch(t -> t instanceof SQLException sql
                && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState())));
    }

    private static List<Throwable> causes(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> causes = new ArrayList<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            causes.add(t);
        }
        return causes;
    }

    /**
     * SQLSTATE class 08 (connection exception: refused, broken, closed), 57P01-57P03 (the server is shutting
     * down, crashed, or not yet accepting connections), 53300 (too many connections) and 57014 (a statement
     * cancelled, as a statement timeout does).
     */
    private static boolean isUnavailableState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300") || state.equals("57014"));
    }

    /** Hikari's answer for a connection it has already evicted as broken; it carries no SQLSTATE. */
    private static boolean isClosedByThePool(SQLException e) {
        return e.getSQLState() == null && "Connection is closed".equals(e.getMessage());
    }
}
