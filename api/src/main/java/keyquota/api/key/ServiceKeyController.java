package keyquota.api.key;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import keyquota.api.FreeText;
import keyquota.api.Refusals;
import keyquota.application.auth.Principal;
import keyquota.application.key.CreatedKey;
import keyquota.application.key.ServiceKeyManagement;
import keyquota.domain.ErrorCode;
import keyquota.projections.key.KeyView;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Keys for cloud services, managed by the operator. */
@Tag(name = "Service keys", description = "Keys for cloud services, managed by the operator.")
@RestController
@RequestMapping("/api/v1/service-keys")
class ServiceKeyController {

    private final ServiceKeyManagement serviceKeys;

    ServiceKeyController(ServiceKeyManagement serviceKeys) {
        this.serviceKeys = serviceKeys;
    }

    record CreateServiceKeyRequest(
            @NotNull @Size(min = 1, max = 100) @Pattern(regexp = FreeText.PATTERN, message = FreeText.RULE)
            String name,
            String service) {
    }

    /** @param service null for a key that acts for every service */
    record ServiceKeyResponse(UUID keyId, String name, String maskedKey, String service, Instant createdAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String key) {

        static ServiceKeyResponse of(KeyView key, String secret) {
            return new ServiceKeyResponse(key.keyId(), key.name(), key.maskedKey(), key.service(), key.createdAt(),
                    secret);
        }

        /** Without the secret: Spring's web logging (DEBUG, TRACE) writes an answer's body with it. */
        @Override
        public String toString() {
            return "ServiceKeyResponse[keyId=" + keyId + ", maskedKey=" + maskedKey + "]";
        }
    }

    record ServiceKeyList(List<ServiceKeyResponse> keys) {
    }

    @Operation(summary = "Create a service key", description = "The operator only. `service` is `CCS`, `VCS`, or "
            + "absent for all services; service keys do not expire. The secret `key` is in this answer only.")
    @Refusals(ErrorCode.FORBIDDEN)
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ServiceKeyResponse create(@AuthenticationPrincipal Principal principal,
                              @Valid @RequestBody CreateServiceKeyRequest request) {
        CreatedKey created = serviceKeys.create(principal, request.name(), request.service());
        return ServiceKeyResponse.of(created.key(), created.secret().reveal());
    }

    @Operation(summary = "List service keys", description = "The operator only.")
    @Refusals(ErrorCode.FORBIDDEN)
    @GetMapping
    ServiceKeyList list(@AuthenticationPrincipal Principal principal) {
        return new ServiceKeyList(serviceKeys.list(principal).stream()
                .map(key -> ServiceKeyResponse.of(key, null))
                .toList());
    }

    @Operation(summary = "Delete a service key", description = "The operator only.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.KEY_NOT_FOUND})
    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal Principal principal, @PathVariable UUID keyId) {
        serviceKeys.delete(principal, keyId);
    }
}
