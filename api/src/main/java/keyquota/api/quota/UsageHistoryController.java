package keyquota.api.quota;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import keyquota.api.Refusals;
import keyquota.application.auth.Principal;
import keyquota.application.quota.UsageReports;
import keyquota.domain.ErrorCode;
import keyquota.projections.quota.UsageHistory;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Usage history of a project's service: series of usage, peak and quota, and the daily CSV report. */
@Tag(name = "Quotas")
@RestController
class UsageHistoryController {

    private static final String QUOTA = "/api/v1/projects/{projectId}/quotas/{service}";
    private static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    private static final String CSV_HEADER = "date,userId,resource,peak,resourceHours,quota\n";

    private final UsageReports reports;

    UsageHistoryController(UsageReports reports) {
        this.reports = reports;
    }

    record Point(Instant at, Map<String, Long> usage, Map<String, Long> peak, Map<String, Long> quota) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HistoryResponse(String service, UsageHistory.Step step, String userId, List<Point> points) {
    }

    // The parameters are optional to Spring so that a missing one is VALIDATION_FAILED, as a wrong one is.

    @Operation(summary = "Usage, peak and quota of the project, or of one member, per hour or day",
            description = "Members and the operator. `from` and `to` are instants (`2026-12-01T00:00:00Z`), at most "
            + "400 days apart; `from` is rounded down to its step, `to` is exclusive, each point's `at` is the start "
            + "of its UTC-aligned step, and no point lies in the future. `usage` is the usage at the end of the step, "
            + "`peak` the highest within it, `quota` the quota in force at its end; each holds every resource of the "
            + "service. A member without a quota of their own has quota -1; the series of a user id that has no "
            + "history (or is not a member) is all 0 and -1. A tenant user may ask only for their own series "
            + "(403 `FORBIDDEN` for another member's), or for the project's.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND})
    @GetMapping(QUOTA + "/history")
    HistoryResponse history(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                            @PathVariable String service,
                            @Parameter(description = "rounded down to the start of its step", required = true)
                            @RequestParam(required = false) Instant from,
                            @Parameter(description = "exclusive; at most 400 days after from", required = true)
                            @RequestParam(required = false) Instant to,
                            @Parameter(required = true) @RequestParam(required = false) UsageHistory.Step step,
                            @Parameter(description = "the member's series instead of the project's")
                            @RequestParam(required = false) String userId) {
        List<Point> points = reports.series(principal, projectId, service, from, to, step, userId).stream()
                .map(point -> new Point(point.at(), point.usage(), point.peak(), point.quota()))
                .toList();
        return new HistoryResponse(service, step, userId, points);
    }

    /**
     * User ids and resource names hold no comma, quote or line break ({@code UserId.PATTERN}, the catalog), so no
     * field needs quoting.
     */
    @Operation(summary = "Daily usage report: peak, resource-hours and quota per day, member and resource (CSV)",
            description = "Tenant admins and the operator. `from` and `to` are UTC days (`2026-12-01`), `to` "
            + "exclusive, at most 400 days apart. Header `date,userId,resource,peak,resourceHours,quota`; rows are "
            + "ordered by date, user id, then the service's resource order. `resourceHours` is usage integrated over "
            + "the day (a decimal with up to 6 places; the current day up to now); `quota` is the member's own quota "
            + "or -1. A member appears on a day when their usage was above 0 or they had a quota of their own at some "
            + "time that day; days after today have no rows.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND})
    @ApiResponse(responseCode = "200", description = "The report",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @GetMapping(value = QUOTA + "/usage.csv")
    ResponseEntity<String> usageReport(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                       @PathVariable String service,
                                       @Parameter(description = "the first UTC day, such as 2026-12-01",
                                               required = true)
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                                       LocalDate from,
                                       @Parameter(description = "the day after the last; at most 400 days after from",
                                               required = true)
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                                       LocalDate to) {
        StringBuilder csv = new StringBuilder(CSV_HEADER);
        for (UsageHistory.DayRow row : reports.dailyReport(principal, projectId, service, from, to)) {
            csv.append(row.date()).append(',').append(row.userId()).append(',').append(row.resource()).append(',')
                    .append(row.peak()).append(',').append(row.resourceHours().stripTrailingZeros().toPlainString())
                    .append(',').append(row.quota()).append('\n');
        }
        return ResponseEntity.ok()
                .contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("usage-" + projectId + "-" + service + "-" + from + "-" + to + ".csv")
                        .build().toString())
                .body(csv.toString());
    }
}
