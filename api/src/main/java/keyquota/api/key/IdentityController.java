package keyquota.api.key;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import keyquota.api.Refusals;
import keyquota.application.auth.Authenticator;
import keyquota.application.project.ProjectManagement;
import keyquota.application.auth.Principal;
import keyquota.application.auth.Verification;
import keyquota.domain.ErrorCode;
import keyquota.domain.Role;
import keyquota.projections.key.KeyView;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.UUID;

/** Who a key is: the caller's own ({@code /me}), or one presented to a cloud service ({@code /keys/verify}). */
@Tag(name = "Identity", description = "Who a key is.")
@RestController
class IdentityController {

    private final Authenticator authenticator;
    private final ProjectManagement projects;

    IdentityController(Authenticator authenticator, ProjectManagement projects) {
        this.authenticator = authenticator;
        this.projects = projects;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** @param email a member's own email address, where one was given */
    record Me(String type, UUID keyId, String userId, String projectId, Role role, String service,
              Instant expiresAt, String email) {
    }

    /**
     * @param service  the service the key was presented to (else the one the calling service key is bound to)
     * @param clientIp the address the key was presented from
     */
    record VerifyRequest(@NotNull String key, @Size(max = 16) String service, @Size(max = 64) String clientIp) {

        /** Without the key: Spring's web logging (DEBUG, TRACE) writes a request's body and arguments with it. */
        @Override
        public String toString() {
            return "VerifyRequest[service=" + service + ", clientIp=" + clientIp + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VerifyResponse(boolean valid, Verification.Code code, UUID keyId, String projectId, String userId,
                          Role role, Instant expiresAt) {
    }

    @Operation(summary = "Who the calling key is", description = "Any key. It does not draw on the key's rate limit "
            + "budget.")
    @GetMapping("/api/v1/me")
    Me me(@AuthenticationPrincipal Principal principal) {
        if (principal instanceof Principal.Member member) {
            return new Me("MEMBER", member.keyId(), member.userId(), member.projectId(), member.role(), null,
                    member.expiresAt(), projects.memberEmail(member.projectId(), member.userId()).orElse(null));
        }
        if (principal instanceof Principal.Service service) {
            return new Me("SERVICE", service.keyId(), null, null, null, service.service(), null, null);
        }
        return new Me("OPERATOR", principal.keyId(), null, null, null, null, null, null);
    }

    /** Found keys carry their identity whatever the outcome, so a service can tell its user which key failed. */
    @Operation(summary = "Verify a key presented to a cloud service",
            description = "Service keys and the operator. The key's identity is reported whenever the key exists (also "
            + "when it is `EXPIRED` or `REVOKED`). A `key` of another shape than a secret is answered `MALFORMED`, not "
            + "refused.")
    @Refusals(value = {ErrorCode.FORBIDDEN}, changes = false)
    @PostMapping("/api/v1/keys/verify")
    VerifyResponse verify(@AuthenticationPrincipal Principal principal, @Valid @RequestBody VerifyRequest request) {
        Verification verification = authenticator.verifyFor(principal, request.key(), request.service(),
                request.clientIp());
        KeyView key = verification.key();
        if (key == null) {
            return new VerifyResponse(false, verification.code(), null, null, null, null, null);
        }
        return new VerifyResponse(verification.valid(), verification.code(), key.keyId(), key.projectId(),
                key.userId(), key.role(), key.expiresAt());
    }
}
