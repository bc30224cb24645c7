package keyquota.api.quota;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import keyquota.api.FreeText;
import keyquota.api.NoBody;
import keyquota.api.Refusals;
import keyquota.application.auth.Principal;
import keyquota.application.quotarequest.QuotaRequests;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.UserId;
import keyquota.domain.quotarequest.Decider;
import keyquota.domain.quotarequest.QuotaRequest;
import keyquota.domain.quotarequest.QuotaRequestStatus;
import keyquota.projections.quotarequest.QuotaRequestPage;
import keyquota.projections.quotarequest.QuotaRequestView;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Quota requests (TWCC "配額申請"): members ask for a member quota; tenant admins and the operator decide. */
@Tag(name = "Quota requests",
        description = "Members ask for a member quota; tenant admins and the operator decide (TWCC \"配額申請\").")
@RestController
@RequestMapping("/api/v1/projects/{projectId}/quota-requests")
class QuotaRequestController {

    private final QuotaRequests requests;

    QuotaRequestController(QuotaRequests requests) {
        this.requests = requests;
    }

    /** @param userId the member whose quota it asks for; the caller when absent */
    record CreateQuotaRequest(@NotNull @Size(max = 16) String service,
                              @NotNull Map<String, Long> resources,
                              @NotNull @Size(min = 1, max = QuotaRequest.MAX_REASON_LENGTH)
                              @Pattern(regexp = FreeText.PATTERN, message = FreeText.RULE) String reason,
                              @Pattern(regexp = UserId.PATTERN, message = UserId.RULE) String userId) {
    }

    record RejectRequest(@NotNull @Size(min = 1, max = QuotaRequest.MAX_REASON_LENGTH)
                         @Pattern(regexp = FreeText.PATTERN, message = FreeText.RULE) String reason) {
    }

    record ForwardRequest(@Size(min = 1, max = QuotaRequest.MAX_REASON_LENGTH)
                          @Pattern(regexp = FreeText.PATTERN, message = FreeText.RULE) String reason) {
    }

    /** Who took a step, as the audit log names an actor: {@code OPERATOR}, or a {@code MEMBER} and their userId. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Actor(String type, String userId) {

        static Actor of(Decider decider) {
            if (decider == null) {
                return null;
            }
            return decider.operator() ? new Actor("OPERATOR", null) : new Actor("MEMBER", decider.userId());
        }
    }

    /**
     * The contract's request; {@code requestedBy} and the forwarding fields are additions: who asked, and when, by
     * whom and why a tenant admin handed it to the operator.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record QuotaRequestResponse(UUID requestId, String projectId, String service, String userId,
                                Map<String, Long> resources, String reason, QuotaRequestStatus status,
                                Instant createdAt, Instant decidedAt, Actor decidedBy, String decisionReason,
                                String requestedBy, Instant forwardedAt, String forwardedBy, String forwardReason) {

        static QuotaRequestResponse of(QuotaRequestView view) {
            return new QuotaRequestResponse(view.requestId(), view.projectId(), view.service(), view.userId(),
                    view.resources(), view.reason(), view.status(), view.createdAt(), view.decidedAt(),
                    Actor.of(view.decidedBy()), view.decisionReason(), view.requestedBy(), view.forwardedAt(),
                    view.forwardedBy(), view.forwardReason());
        }
    }

    record QuotaRequestList(List<QuotaRequestResponse> requests, String nextCursor) {
    }

    @Operation(summary = "Ask for a member quota", description = "Members; the operator, not being a member, does not "
            + "make requests (403). `reason` is 1-500 characters, not blank. `resources` follow the rules of a member "
            + "quota body (a resource of the service, -1 or at least 0). `userId` must be a current member; a tenant "
            + "user may name only themselves (403). The answer also shows `requestedBy` (the member who asked) and, "
            + "once forwarded, `forwardedAt`, `forwardedBy` and `forwardReason`; `decidedBy` is `{type: OPERATOR}` or "
            + "`{type: MEMBER, userId}`.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.SERVICE_NOT_FOUND,
            ErrorCode.MEMBER_NOT_FOUND})
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    QuotaRequestResponse create(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                @Valid @RequestBody CreateQuotaRequest request) {
        return QuotaRequestResponse.of(requests.request(principal, projectId, request.service(), request.userId(),
                request.resources(), request.reason()));
    }

    @Operation(summary = "List quota requests", description = "Newest first; `limit` is 1-100, default 20. A tenant "
            + "user sees the requests they made or that were made for them.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @GetMapping
    QuotaRequestList list(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                          @RequestParam(required = false) QuotaRequestStatus status,
                          @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
                          @RequestParam(required = false) String cursor) {
        QuotaRequestPage page = requests.list(principal, projectId, status, limit, cursor);
        return new QuotaRequestList(page.requests().stream().map(QuotaRequestResponse::of).toList(),
                page.nextCursor());
    }

    @Operation(summary = "Approve a quota request", description = "A request the caller may not see (a tenant user's "
            + "colleague's) is 404 `NOT_FOUND`, like an unknown or malformed id; one they see but may not act on is "
            + "403. Checked in this order: `REQUEST_CLOSED`, `FORBIDDEN` (a forwarded request and a tenant admin), "
            + "then the member quota rules of `PUT .../members/{userId}` without `force` (`QUOTA_ABOVE_PROJECT`, "
            + "`QUOTA_BELOW_USAGE`, `MEMBER_NOT_FOUND`). The operator's approval raises each project quota the request "
            + "exceeds to the value asked for. The decision and the quota change commit together or not at all.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.NOT_FOUND, ErrorCode.MEMBER_NOT_FOUND,
            ErrorCode.REQUEST_CLOSED, ErrorCode.QUOTA_BELOW_USAGE, ErrorCode.QUOTA_ABOVE_PROJECT})
    @PostMapping("/{requestId}/approve")
    QuotaRequestResponse approve(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                 @PathVariable String requestId, @RequestBody(required = false) NoBody none) {
        return QuotaRequestResponse.of(requests.approve(principal, projectId, id(requestId)));
    }

    @Operation(summary = "Reject a quota request", description = "A request the caller may not see (a tenant user's "
            + "colleague's) is 404 `NOT_FOUND`, like an unknown or malformed id; one they see but may not act on is "
            + "403. `reason` is 1-500 characters, not blank.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.NOT_FOUND, ErrorCode.REQUEST_CLOSED})
    @PostMapping("/{requestId}/reject")
    QuotaRequestResponse reject(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                @PathVariable String requestId, @Valid @RequestBody RejectRequest request) {
        return QuotaRequestResponse.of(requests.reject(principal, projectId, id(requestId), request.reason()));
    }

    @Operation(summary = "Forward a quota request to the operator",
            description = "A request the caller may not see (a tenant user's colleague's) is 404 `NOT_FOUND`, like an "
            + "unknown or malformed id; one they see but may not act on is 403. Tenant admins; the optional `reason` "
            + "is 1-500 characters, not blank.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.NOT_FOUND, ErrorCode.REQUEST_CLOSED})
    @PostMapping("/{requestId}/forward")
    QuotaRequestResponse forward(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                 @PathVariable String requestId,
                                 @Valid @RequestBody(required = false) ForwardRequest request) {
        return QuotaRequestResponse.of(requests.forward(principal, projectId, id(requestId),
                request == null ? null : request.reason()));
    }

    @Operation(summary = "Cancel a quota request", description = "A request the caller may not see (a tenant user's "
            + "colleague's) is 404 `NOT_FOUND`, like an unknown or malformed id; one they see but may not act on is "
            + "403. The member who asked, and the operator: a tenant admin may cancel only what they asked for "
            + "themselves; the member a tenant admin asked for cannot cancel it. A cancellation fills `decidedAt` and "
            + "`decidedBy` too.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.NOT_FOUND, ErrorCode.REQUEST_CLOSED})
    @PostMapping("/{requestId}/cancel")
    QuotaRequestResponse cancel(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                                @PathVariable String requestId, @RequestBody(required = false) NoBody none) {
        return QuotaRequestResponse.of(requests.cancel(principal, projectId, id(requestId)));
    }

    /** An id that is no UUID names no request: 404, as an unknown one. */
    private static UUID id(String requestId) {
        try {
            return UUID.fromString(requestId);
        } catch (IllegalArgumentException e) {
            throw new DomainException(ErrorCode.NOT_FOUND, "Quota request not found.");
        }
    }
}
