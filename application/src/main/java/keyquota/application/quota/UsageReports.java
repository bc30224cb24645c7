package keyquota.application.quota;

import keyquota.application.auth.Access;
import keyquota.application.auth.Forbidden;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.InvalidValue;
import keyquota.domain.UserId;
import keyquota.domain.service.CloudService;
import keyquota.domain.service.ServiceCatalog;
import keyquota.infrastructure.eventstore.ProcessorHorizon;
import keyquota.projections.quota.UsageHistory;
import keyquota.projections.quota.UsageHistoryProjection;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Usage history of a project's service, as series for members and the operator, and as the daily report. */
@Service
public class UsageReports {

    /** The longest range one request may ask for. */
    public static final int MOST_DAYS = 400;

    private static final String DATE = " (a date such as 2026-12-01)";

    /** How long a read waits for the usage history to pass the events committed before it, as the audit log's do. */
    static final Duration READ_YOUR_WRITES = Duration.ofSeconds(5);

    private final ProjectManagement projects;
    private final ServiceCatalog catalog;
    private final UsageHistory history;
    private final ProcessorHorizon horizon;
    private final Clock clock;

    public UsageReports(ProjectManagement projects, ServiceCatalog catalog, UsageHistory history,
                        ProcessorHorizon horizon, Clock clock) {
        this.projects = projects;
        this.catalog = catalog;
        this.history = history;
        this.horizon = horizon;
        this.clock = clock;
    }

    /**
     * The project's series, or a member's: a tenant user only their own, as a tenant user may ask for no other
     * member's quota either.
     *
     * @param userId the member, or null for the project
     */
    public List<UsageHistory.Point> series(Principal principal, String projectId, String service, Instant from,
                                           Instant to, UsageHistory.Step step, String userId) {
        Access.ensureInProject(principal, projectId);
        required("from", from, "");
        required("to", to, "");
        checkLength(Duration.between(from, to));
        if (step == null) {
            throw new InvalidValue("step", "is required: HOUR or DAY");
        }
        if (userId != null) {
            UserId.ensureValid(userId);
            Optional<String> own = Access.onlyOwnOf(principal);
            if (own.isPresent() && !own.get().equals(userId)) {
                throw new Forbidden("A tenant user may see only their own usage history.");
            }
        }
        CloudService cloudService = serviceOf(projectId, service);
        awaitHistory();
        return history.series(projectId, cloudService, userId, from, to, step, clock.instant());
    }

    /** Tenant admins and the operator only: the report shows every member. */
    public List<UsageHistory.DayRow> dailyReport(Principal principal, String projectId, String service,
                                                 LocalDate from, LocalDate to) {
        Access.ensureProjectAdmin(principal, projectId);
        required("from", from, DATE);
        required("to", to, DATE);
        checkLength(Duration.ofDays(ChronoUnit.DAYS.between(from, to)));
        CloudService cloudService = serviceOf(projectId, service);
        awaitHistory();
        return history.dailyReport(projectId, cloudService, from, to, clock.instant());
    }

    /**
     * The usage history is written off the command's path: a read waits, bounded, until it has passed every event
     * committed before the read, so a client sees its own allocations. If it lags further, the read answers what
     * it has.
     */
    private void awaitHistory() {
        horizon.awaitCurrent(UsageHistoryProjection.NAME, READ_YOUR_WRITES);
    }

    private static void required(String field, Object value, String format) {
        if (value == null) {
            throw new InvalidValue(field, "is required" + format);
        }
    }

    private static void checkLength(Duration length) {
        if (length.isNegative() || length.isZero()) {
            throw new InvalidValue("to", "must be after from");
        }
        if (length.compareTo(Duration.ofDays(MOST_DAYS)) > 0) {
            throw new InvalidValue("to", "must be at most " + MOST_DAYS + " days after from");
        }
    }

    private CloudService serviceOf(String projectId, String service) {
        projects.ensureProjectExists(projectId);
        return catalog.service(service);
    }
}
