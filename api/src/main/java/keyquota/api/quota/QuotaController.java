package keyquota.api.quota;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import keyquota.api.Refusals;
import keyquota.application.auth.Principal;
import keyquota.application.quota.QuotaManagement;
import keyquota.domain.ErrorCode;
import keyquota.domain.Role;
import keyquota.domain.UserId;
import keyquota.domain.quota.Allocation;
import keyquota.domain.quota.AllocationResult;
import keyquota.domain.quota.Range;
import keyquota.domain.quota.Reconciliation;
import keyquota.domain.service.CloudService;
import keyquota.projections.quota.MemberQuotaRow;
import keyquota.projections.quota.QuotaUsage;
import keyquota.projections.quota.QuotaView;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Resource quotas (TWCC "資源配額管理"): the catalog, quota views, quota changes and usage reports. */
@Tag(name = "Quotas",
        description = "Resource quotas (TWCC \"資源配額管理\"): the catalog, quota views, quota changes and usage.")
@RestController
class QuotaController {

    private static final String ALLOCATION_ID = "[A-Za-z0-9._:-]{1,128}";
    private static final String QUOTAS = "/api/v1/projects/{projectId}/quotas";
    /** A cloud service lists every allocation it holds for a project; more than this is no project's. */
    private static final int MOST_RECONCILED = 100_000;

    private final QuotaManagement quotas;

    QuotaController(QuotaManagement quotas) {
        this.quotas = quotas;
    }

    // The answers are records of their own, so that renaming a field inside keyquota never changes the contract.

    record Service(String service, String name, List<String> resources) {

        static Service of(CloudService service) {
            return new Service(service.service(), service.name(), service.resources());
        }
    }

    record ServiceList(List<Service> services) {
    }

    record AcceptableRange(long min, long max) {

        static Map<String, AcceptableRange> of(Map<String, Range> ranges) {
            if (ranges == null) {
                return null;
            }
            Map<String, AcceptableRange> acceptable = new LinkedHashMap<>();
            ranges.forEach((resource, range) -> acceptable.put(resource, new AcceptableRange(range.min(),
                    range.max())));
            return acceptable;
        }
    }

    record Totals(Map<String, Long> quota, Map<String, Long> usage) {

        static Totals of(QuotaUsage usage) {
            return new Totals(usage.quota(), usage.usage());
        }
    }

    /** @param role null for a former member, shown while they still have usage */
    record MemberRow(String userId, Role role, Map<String, Long> quota, Map<String, Long> usage,
                     boolean overQuota) {

        static MemberRow of(MemberQuotaRow row) {
            return new MemberRow(row.userId(), row.role(), row.quota(), row.usage(), row.overQuota());
        }
    }

    record QuotaRequest(@NotNull Map<String, Long> quota) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record QuotaViewResponse(String projectId, String service, Totals project, List<MemberRow> members,
                             Map<String, AcceptableRange> acceptable) {

        static QuotaViewResponse of(QuotaView view, Map<String, Range> acceptable) {
            return new QuotaViewResponse(view.projectId(), view.service(), Totals.of(view.project()),
                    view.members().stream().map(MemberRow::of).toList(), AcceptableRange.of(acceptable));
        }
    }

    record ServiceSummary(String service, Totals project) {
    }

    record ServiceTotals(List<ServiceSummary> services) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MemberQuotaResponse(String projectId, String service, String userId, Role role, Map<String, Long> quota,
                               Map<String, Long> usage, boolean overQuota, Map<String, AcceptableRange> acceptable) {
    }

    record AllocationRequest(
            @NotNull @Pattern(regexp = ALLOCATION_ID, message = "must be 1-128 of A-Z a-z 0-9 . _ : -")
            String allocationId,
            @NotNull @Pattern(regexp = UserId.PATTERN, message = UserId.RULE) String userId,
            @NotNull Map<String, Long> resources) {
    }

    record UsageAfter(Map<String, Long> member, Map<String, Long> project) {
    }

    record AllocationResponse(String allocationId, String projectId, String service, String userId,
                              Map<String, Long> resources, Instant allocatedAt, UsageAfter usage) {
    }

    record AlertThresholds(@NotNull List<Integer> thresholds) {
    }

    record ReconcileRequest(@NotNull Instant listedAt,
                            @NotNull @Size(max = MOST_RECONCILED, message = "must hold at most " + MOST_RECONCILED + " ids")
                            Set<@NotNull @Pattern(regexp = ALLOCATION_ID, message = "must be 1-128 of A-Z a-z 0-9 . _ : -")
                                    String> allocationIds) {
    }

    record ReconcileResponse(List<String> leaked, List<String> unknown, List<String> released) {
    }

    @Operation(summary = "Get the usage alert thresholds", description = "Members and the operator.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND})
    @GetMapping(QUOTAS + "/{service}/alerts")
    AlertThresholds alertThresholds(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                    @PathVariable String service) {
        return new AlertThresholds(quotas.alertThresholds(principal, projectId, service));
    }

    @Operation(summary = "Set the usage alert thresholds",
            description = "Tenant admins and the operator: 1-5 distinct percentages 1-100.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND})
    @PutMapping(QUOTAS + "/{service}/alerts")
    AlertThresholds setAlertThresholds(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                       @PathVariable String service, @Valid @RequestBody AlertThresholds request) {
        return new AlertThresholds(quotas.setAlertThresholds(principal, projectId, service, request.thresholds()));
    }

    @Operation(summary = "List the cloud services and their resources", description = "Any key.")
    @GetMapping("/api/v1/services")
    ServiceList services() {
        return new ServiceList(quotas.catalog().services().stream().map(Service::of).toList());
    }

    @Operation(summary = "Set a project quota", description = "The operator only. `force` and `dryRun` are taken as "
            + "for a member quota. Lowering a project quota below a member's quota is 409 `QUOTA_ABOVE_PROJECT` unless "
            + "`force=true`. A dry run that would succeed answers 200 with `acceptable`; one that would fail answers "
            + "the same 409 as the real request, with `acceptable` in the problem. In a range, `max: -1` means no "
            + "upper bound. Setting the values a quota already has records nothing.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND,
            ErrorCode.QUOTA_BELOW_USAGE, ErrorCode.QUOTA_ABOVE_PROJECT})
    @PutMapping(QUOTAS + "/{service}")
    QuotaViewResponse setProjectQuota(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                      @PathVariable String service,
                                      @RequestParam(defaultValue = "false") boolean force,
                                      @RequestParam(defaultValue = "false") boolean dryRun,
                                      @Valid @RequestBody QuotaRequest request) {
        QuotaManagement.QuotaViewResult result = quotas.setProjectQuota(principal, projectId, service,
                request.quota(), force, dryRun);
        return QuotaViewResponse.of(result.view(),
                result.decision() == null ? null : result.decision().acceptable());
    }

    @Operation(summary = "Get a quota view", description = "Members and the operator; a tenant user sees the project "
            + "totals and only their own row. A former member who still has usage keeps a row, with `role: null`, "
            + "until it is released. `asOf` (RFC 3339) answers as the state stood then, rebuilt from the events: a "
            + "time after now answers the current state; one before the project existed, 404.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND})
    @GetMapping(QUOTAS + "/{service}")
    QuotaViewResponse view(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                           @PathVariable String service, @RequestParam(required = false) Instant asOf) {
        return QuotaViewResponse.of(quotas.view(principal, projectId, service, asOf), null);
    }

    @Operation(summary = "Get the project totals of every service", description = "Members and the operator.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @GetMapping(QUOTAS)
    ServiceTotals summary(@AuthenticationPrincipal Principal principal, @PathVariable String projectId) {
        return new ServiceTotals(quotas.summary(principal, projectId).stream()
                .map(totals -> new ServiceSummary(totals.service(), Totals.of(totals.project()))).toList());
    }

    @Operation(summary = "Set a member quota", description = "Tenant admins and the operator. A member quota above the "
            + "project quota is refused even with `force`. A dry run that would succeed answers 200 with `acceptable`; "
            + "one that would fail answers the same 409 as the real request, with `acceptable` in the problem; -1 "
            + "(unlimited) is always acceptable for a member. Setting the values a quota already has records nothing.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND,
            ErrorCode.MEMBER_NOT_FOUND, ErrorCode.QUOTA_BELOW_USAGE, ErrorCode.QUOTA_ABOVE_PROJECT})
    @PutMapping(QUOTAS + "/{service}/members/{userId}")
    MemberQuotaResponse setMemberQuota(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                       @PathVariable String service, @PathVariable String userId,
                                       @RequestParam(defaultValue = "false") boolean force,
                                       @RequestParam(defaultValue = "false") boolean dryRun,
                                       @Valid @RequestBody QuotaRequest request) {
        QuotaManagement.MemberQuotaResult result = quotas.setMemberQuota(principal, projectId, service, userId,
                request.quota(), force, dryRun);
        MemberQuotaRow row = result.row();
        return new MemberQuotaResponse(projectId, service, row.userId(), row.role(), row.quota(), row.usage(),
                row.overQuota(), dryRun ? AcceptableRange.of(result.decision().acceptable()) : null);
    }

    @Operation(summary = "Reconcile the allocations a cloud service holds",
            description = "The service's own service keys and the operator. `leaked`: allocations keyquota holds that "
            + "are not listed and were made before `listedAt`; `unknown`: listed ids keyquota does not hold; "
            + "`released`: what this call released (none with `dryRun=true`).")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND})
    @PostMapping(QUOTAS + "/{service}/allocations/reconcile")
    ReconcileResponse reconcile(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                @PathVariable String service, @RequestParam(defaultValue = "false") boolean dryRun,
                                @Valid @RequestBody ReconcileRequest request) {
        Reconciliation found = quotas.reconcile(principal, projectId, service, request.listedAt(),
                request.allocationIds(), dryRun);
        return new ReconcileResponse(found.leaked(), found.unknown(), found.released());
    }

    /** 201 for a new allocation; 200 with the first answer when the same allocation is sent again. */
    @Operation(summary = "Allocate resources to a member",
            description = "The service's own service keys and the operator. `allocationId` is 1-128 of "
            + "`A-Za-z0-9._:-`. An allocation id is remembered while it is allocated and after its release (for the "
            + "1,000 most recent releases of the project and service), so sending it again answers the first "
            + "allocation and never allocates twice: a new allocation answers 201, the same id and body again 200 with "
            + "that same answer.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND,
            ErrorCode.MEMBER_NOT_FOUND, ErrorCode.QUOTA_EXCEEDED, ErrorCode.IDEMPOTENCY_CONFLICT})
    @ApiResponse(responseCode = "201", description = "Allocated",
            content = @Content(schema = @Schema(implementation = AllocationResponse.class)))
    @ApiResponse(responseCode = "200", description = "Allocated before, with the same body: the first answer",
            content = @Content(schema = @Schema(implementation = AllocationResponse.class)))
    @PostMapping(QUOTAS + "/{service}/allocations")
    ResponseEntity<AllocationResponse> allocate(@AuthenticationPrincipal Principal principal,
                                                @PathVariable String projectId, @PathVariable String service,
                                                @Valid @RequestBody AllocationRequest request) {
        AllocationResult result = quotas.allocate(principal, projectId, service, request.allocationId(),
                request.userId(), request.resources());
        Allocation allocation = result.allocation();
        return ResponseEntity.status(result.repeated() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new AllocationResponse(allocation.allocationId(), projectId, service, allocation.userId(),
                        allocation.resources(), allocation.allocatedAt(),
                        new UsageAfter(allocation.memberUsage(), allocation.projectUsage())));
    }

    @Operation(summary = "Release an allocation", description = "Releasing it again answers 204 too.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND,
            ErrorCode.ALLOCATION_NOT_FOUND})
    @DeleteMapping(QUOTAS + "/{service}/allocations/{allocationId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void release(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                 @PathVariable String service, @PathVariable String allocationId) {
        quotas.release(principal, projectId, service, allocationId);
    }
}
