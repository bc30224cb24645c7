package keyquota.api.support;

import keyquota.domain.project.ProjectCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handler in the audit processing group that fails on the {@code ProjectCreated} of one chosen project, so that
 * a test can make that event a poison event of the audit read model. It is inert unless a test poisons a project,
 * and it runs before the audit projection's own handler (highest precedence), so the entry is not written while
 * the fault lasts.
 */
@ProcessingGroup("audit")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AuditFaultInjector {

    private static final AtomicReference<String> POISONED_PROJECT = new AtomicReference<>();
    private static final AtomicInteger FAILURES = new AtomicInteger();
    private static final AtomicReference<String> UNREACHABLE_FOR = new AtomicReference<>();
    private static final AtomicInteger UNREACHABLE_TIMES = new AtomicInteger();
    private static final AtomicReference<String> FAILING_STATEMENT_FOR = new AtomicReference<>();

    private final JdbcTemplate jdbc;

    public AuditFaultInjector(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** ProjectCreated of this project fails this many times as if the database were away, then goes through. */
    public static void loseTheDatabaseFor(String projectId, int times) {
        UNREACHABLE_TIMES.set(times);
        FAILURES.set(0);
        UNREACHABLE_FOR.set(projectId);
    }

    /** ProjectCreated of this project fails in the audit group from now on, until {@link #heal()}. */
    public static void poison(String projectId) {
        POISONED_PROJECT.set(projectId);
        FAILURES.set(0);
    }

    /**
     * ProjectCreated of this project runs a statement that fails in PostgreSQL (and so aborts the transaction it
     * runs in) from now on, until {@link #heal()}.
     */
    public static void failAStatementFor(String projectId) {
        FAILING_STATEMENT_FOR.set(projectId);
        FAILURES.set(0);
    }

    public static void heal() {
        POISONED_PROJECT.set(null);
        FAILING_STATEMENT_FOR.set(null);
    }

    /** How often the handler failed since the last {@link #poison}. */
    public static int failures() {
        return FAILURES.get();
    }

    @EventHandler
    void on(ProjectCreated event) {
        if (event.projectId().equals(UNREACHABLE_FOR.get()) && UNREACHABLE_TIMES.getAndDecrement() > 0) {
            FAILURES.incrementAndGet();
            throw new CannotGetJdbcConnectionException("Injected lost database",
                    new SQLTransientConnectionException("Connection is not available, request timed out"));
        }
        if (event.projectId().equals(FAILING_STATEMENT_FOR.get())) {
            FAILURES.incrementAndGet();
            jdbc.queryForObject("SELECT 1 / 0", Integer.class);
        }
        if (event.projectId().equals(POISONED_PROJECT.get())) {
            FAILURES.incrementAndGet();
            throw new IllegalStateException("Injected audit fault for project " + event.projectId());
        }
    }
}
