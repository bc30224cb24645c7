package keyquota.api.quota;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import keyquota.application.auth.Principal;
import keyquota.application.quota.QuotaManagement;
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

    @GetMapping(QUOTAS + "/{service}/alerts")
    AlertThresholds alertThresholds(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                    @PathVariable String service) {
        return new AlertThresholds(quotas.alertThresholds(principal, projectId, service));
    }

    @PutMapping(QUOTAS + "/{service}/alerts")
    AlertThresholds setAlertThresholds(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                       @PathVariable String service, @Valid @RequestBody AlertThresholds request) {
        return new AlertThresholds(quotas.setAlertThresholds(principal, projectId, service, request.thresholds()));
    }

    @GetMapping("/api/v1/services")
    ServiceList services() {
        return new ServiceList(quotas.catalog().services().stream().map(Service::of).toList());
    }

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

    @GetMapping(QUOTAS + "/{service}")
    QuotaViewResponse view(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                           @PathVariable String service, @RequestParam(required = false) Instant asOf) {
        return QuotaViewResponse.of(quotas.view(principal, projectId, service, asOf), null);
    }

    @GetMapping(QUOTAS)
    ServiceTotals summary(@AuthenticationPrincipal Principal principal, @PathVariable String projectId) {
        return new ServiceTotals(quotas.summary(principal, projectId).stream()
                .map(totals -> new ServiceSummary(totals.service(), Totals.of(totals.project()))).toList());
    }

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

    @PostMapping(QUOTAS + "/{service}/allocations/reconcile")
    ReconcileResponse reconcile(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                @PathVariable String service, @RequestParam(defaultValue = "false") boolean dryRun,
                                @Valid @RequestBody ReconcileRequest request) {
        Reconciliation found = quotas.reconcile(principal, projectId, service, request.listedAt(),
                request.allocationIds(), dryRun);
        return new ReconcileResponse(found.leaked(), found.unknown(), found.released());
    }

    /** 201 for a new allocation; 200 with the first answer when the same allocation is sent again. */
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

    @DeleteMapping(QUOTAS + "/{service}/allocations/{allocationId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void release(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                 @PathVariable String service, @PathVariable String allocationId) {
        quotas.release(principal, projectId, service, allocationId);
    }
}
