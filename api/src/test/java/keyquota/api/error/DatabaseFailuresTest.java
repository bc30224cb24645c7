package keyquota.api.error;

import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way the database can be lost is "unavailable", however it is wrapped; nothing else is. */
class DatabaseFailuresTest {

    @Test
    void aServerTerminatingTheConnectionWhileAxonReadsEventsIsUnavailable() {
        assertThat(DatabaseFailures.isUnavailable(new EventStoreException("Failed to read events for aggregate",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
    }

    @Test
    void aConnectionClosedUnderTheCommandIsUnavailable() {
        assertThat(DatabaseFailures.isUnavailable(new EventStoreException("Failed to read events for aggregate",
                new SQLException("Connection is closed", "08003")))).isTrue();
    }

    @Test
    void aConnectionThePoolHasEvictedIsUnavailable() {
        assertThat(DatabaseFailures.isUnavailable(new JdbcException("Failed to create a SQL statement",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aBrokenOrRefusedConnectionIsUnavailable() {
        assertThat(DatabaseFailures.isUnavailable(new PSQLException("An I/O error occurred while sending",
                PSQLState.CONNECTION_FAILURE, new EOFException()))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new PSQLException("Connection refused",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("refused")))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException(new ConnectException("refused"))))
                .as("not the database's: a webhook's, say").isFalse();
    }

    @Test
    void aPoolThatTimesOutOrAServerStartingUpIsUnavailable() {
        assertThat(DatabaseFailures.isUnavailable(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("Connection is not available, request timed out")))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("sorry, too many clients already", "53300")))
                .isTrue();
    }

    @Test
    void aCommitThatLostItsConnectionIsUnavailable() {
        assertThat(DatabaseFailures.isUnavailable(new TransactionSystemException("Could not commit",
                new SQLException("An I/O error occurred", "08006")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key value", "23505")))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new ConcurrencyException("clash",
                new SQLException("duplicate key value", "23505")))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("syntax error", "42601"))).isFalse();
    }

    @Test
    void aResourceFailureOfOurOwnMakingIsNot() {
        assertThat(DatabaseFailures.isUnavailable(new DataAccessResourceFailureException("index row too large",
                new SQLException("index row size exceeds maximum", "54000")))).isFalse();
    }

    @Test
    void aDeadlockOrSerializationFailureIsAConflict() {
        assertThat(DatabaseFailures.isConflict(new CannotAcquireLockException("deadlock",
                new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(DatabaseFailures.isConflict(new SQLException("could not serialize access", "40001"))).isTrue();
        assertThat(DatabaseFailures.isConflict(new SQLException("duplicate key value", "23505"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("deadlock detected", "40P01"))).isFalse();
    }

    @Test
    void aCycleOfCausesEnds() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second", first);
        first.initCause(second);
        assertThat(DatabaseFailures.isUnavailable(first)).isFalse();
    }
}
