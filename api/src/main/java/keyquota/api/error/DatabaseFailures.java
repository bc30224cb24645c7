package keyquota.api.error;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a lost database apart from every other failure, however Axon, Spring, Hikari or the driver wrap it:
 * refused, reset, terminated by the server, closed under us, or timed out while waiting for a connection.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** True when the failure, or any of its causes, says the database cannot be reached right now. */
    public static boolean isUnavailable(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (isUnavailableItself(t)) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isUnavailableItself(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isUnavailableItself(Throwable t) {
        if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                || t instanceof QueryTimeoutException || t instanceof TransientDataAccessResourceException
                || t instanceof RecoverableDataAccessException) {
            return true;
        }
        if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException) {
            return true;
        }
        if (t instanceof ConnectException || t instanceof SocketException) {
            return true;
        }
        return t instanceof SQLException sql
                && (isUnavailableState(sql.getSQLState()) || isClosedByThePool(sql));
    }

    /** Hikari's answer for a connection it has already evicted as broken; it carries no SQLSTATE. */
    private static boolean isClosedByThePool(SQLException e) {
        return e.getSQLState() == null && "Connection is closed".equals(e.getMessage());
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
}
