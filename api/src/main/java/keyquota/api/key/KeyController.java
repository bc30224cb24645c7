package keyquota.api.key;

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
import keyquota.domain.ErrorCode;
import keyquota.domain.key.AllowedCidrs;
import keyquota.application.auth.Principal;
import keyquota.application.key.KeyManagement;
import keyquota.domain.UserId;
import keyquota.projections.key.KeyPage;
import keyquota.projections.key.KeyStatus;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Members' API keys (TWCC "API 金鑰管理"). */
@Tag(name = "Keys", description = "Members' API keys (TWCC \"API 金鑰管理\").")
@RestController
@RequestMapping("/api/v1/projects/{projectId}/keys")
class KeyController {

    private final KeyManagement keys;
    private final Clock clock;

    KeyController(KeyManagement keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    record CreateKeyRequest(@Size(max = 100) @Pattern(regexp = FreeText.PATTERN, message = FreeText.RULE)
                            String name,
                            Integer validDays,
                            @Pattern(regexp = UserId.PATTERN, message = UserId.RULE)
                            String userId,
                            @Size(min = 1, max = 2) List<@NotNull @Size(max = 16) String> services,
                            @Size(min = 1, max = AllowedCidrs.MAX) List<@NotNull @Size(max = 64) String> allowedCidrs) {
    }

    record RenameKeyRequest(@Size(max = 100) @Pattern(regexp = FreeText.PATTERN, message = FreeText.RULE)
                            String name) {
    }

    record RollKeyRequest(Integer graceHours) {
    }

    record ExtendKeyRequest(@NotNull Integer days) {
    }

    record DeleteKeysRequest(@NotNull @Size(min = 1, max = 100) List<@NotNull UUID> keyIds) {
    }

    record KeyList(List<KeyResponse> keys, String nextCursor) {
    }

    record DeleteResult(UUID keyId, KeyManagement.DeleteResult result) {
    }

    record DeleteResults(List<DeleteResult> results) {
    }

    @Operation(summary = "Create a key", description = "For the caller, or (tenant admins and the operator) for "
            + "another member named by `userId`; the secret `key` is in this answer only. A key created without `name` "
            + "has a null name. `validDays` is 1-365 (`keyquota.keys.max-valid-days`), 30 when absent.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.MEMBER_NOT_FOUND,
            ErrorCode.KEY_LIMIT_REACHED})
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    KeyResponse create(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                       @Valid @RequestBody CreateKeyRequest request) {
        return KeyResponse.created(
                keys.create(principal, projectId, request.userId(), request.name(), request.validDays(),
                        request.services(), request.allowedCidrs()),
                clock.instant());
    }

    @Operation(summary = "List keys", description = "A tenant user's list holds only their own keys; filtering on "
            + "another `userId` gives an empty page. Keys are ordered oldest first; `limit` is 1-100, default 20. "
            + "Deleted keys are not listed.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @GetMapping
    KeyList list(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                 @RequestParam(required = false) String userId,
                 @RequestParam(required = false) KeyStatus status,
                 @RequestParam(required = false) @Min(1) @Max(365) Integer expiringWithinDays,
                 @RequestParam(required = false) @Min(1) @Max(365) Integer idleDays,
                 @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
                 @RequestParam(required = false) String cursor) {
        KeyPage page = keys.list(principal, projectId, userId, status, expiringWithinDays, idleDays, limit, cursor);
        return new KeyList(page.keys().stream().map(key -> KeyResponse.of(key, clock.instant())).toList(),
                page.nextCursor());
    }

    @Operation(summary = "Get a key", description = "`asOf` (RFC 3339) answers as the state stood then, rebuilt from "
            + "the events: a time after now answers the current state; one before the key existed, 404.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.KEY_NOT_FOUND})
    @GetMapping("/{keyId}")
    KeyResponse get(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                    @PathVariable UUID keyId, @RequestParam(required = false) Instant asOf) {
        if (asOf != null) {
            return KeyResponse.of(keys.getAsOf(principal, projectId, keyId, asOf), asOf);
        }
        return KeyResponse.of(keys.get(principal, projectId, keyId), clock.instant());
    }

    @Operation(summary = "Extend a key", description = "The new expiry is the current one plus `days`; at most 730 "
            + "days from now (`keyquota.keys.max-expiry-days`).")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.KEY_NOT_FOUND, ErrorCode.KEY_EXPIRED,
            ErrorCode.KEY_DISABLED, ErrorCode.EXPIRY_TOO_FAR})
    @PostMapping("/{keyId}/extend")
    KeyResponse extend(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                       @PathVariable UUID keyId, @Valid @RequestBody ExtendKeyRequest request) {
        return KeyResponse.of(keys.extend(principal, projectId, keyId, request.days()), clock.instant());
    }

    @Operation(summary = "Rename a key", description = "The owner, tenant admins and the operator.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.KEY_NOT_FOUND})
    @PatchMapping("/{keyId}")
    KeyResponse rename(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                       @PathVariable UUID keyId, @Valid @RequestBody RenameKeyRequest request) {
        return KeyResponse.of(keys.rename(principal, projectId, keyId, request.name()), clock.instant());
    }

    /** Returns once the key is refused on every node. Disabling a disabled key answers the same. */
    @Operation(summary = "Disable a key", description = "Returns once the key is refused on every node. Disabling a "
            + "disabled key answers the same.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.KEY_NOT_FOUND})
    @PostMapping("/{keyId}/disable")
    KeyResponse disable(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                        @PathVariable UUID keyId, @RequestBody(required = false) NoBody none) {
        return KeyResponse.of(keys.disable(principal, projectId, keyId), clock.instant());
    }

    @Operation(summary = "Enable a key", description = "Enabling an active key answers the same.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.KEY_NOT_FOUND, ErrorCode.KEY_EXPIRED})
    @PostMapping("/{keyId}/enable")
    KeyResponse enable(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                       @PathVariable UUID keyId, @RequestBody(required = false) NoBody none) {
        return KeyResponse.of(keys.enable(principal, projectId, keyId), clock.instant());
    }

    /** The body may be left out: the grace is then 24 hours. */
    @Operation(summary = "Roll a key", description = "The new key, with its secret `key`, has the old key's owner, "
            + "role, name, scopes and expiry. The old key keeps working for `graceHours` (0-168; the body may be left "
            + "out: 24).")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.KEY_NOT_FOUND, ErrorCode.KEY_EXPIRED,
            ErrorCode.KEY_DISABLED, ErrorCode.KEY_ROLLED})
    @PostMapping("/{keyId}/roll")
    @ResponseStatus(HttpStatus.CREATED)
    KeyResponse roll(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                     @PathVariable UUID keyId, @Valid @RequestBody(required = false) RollKeyRequest request) {
        return KeyResponse.created(keys.roll(principal, projectId, keyId, request == null ? null
                : request.graceHours()), clock.instant());
    }

    @Operation(summary = "Delete a key", description = "Cannot be undone; the key stops authenticating on every node "
            + "when this returns.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.KEY_NOT_FOUND})
    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @PathVariable UUID keyId) {
        keys.delete(principal, projectId, keyId);
    }

    @Operation(summary = "Delete several keys", description = "Answers once per distinct key id, in request order; an "
            + "id the caller may not see is `NOT_FOUND`, as is one listed twice after its first deletion.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @PostMapping("/delete")
    DeleteResults deleteAll(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                            @Valid @RequestBody DeleteKeysRequest request) {
        return new DeleteResults(keys.deleteAll(principal, projectId, request.keyIds()).entrySet().stream()
                .map(result -> new DeleteResult(result.getKey(), result.getValue()))
                .toList());
    }
}
