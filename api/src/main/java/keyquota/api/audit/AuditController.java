package keyquota.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import keyquota.api.Refusals;
import keyquota.application.audit.AuditLog;
import keyquota.application.auth.Principal;
import keyquota.domain.ErrorCode;
import keyquota.projections.audit.AuditEntry;
import keyquota.projections.audit.AuditPage;
import keyquota.projections.audit.AuditQuery;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The audit log: every state change of the service, in order, with who made it. */
@Tag(name = "Audit", description = "Every state change of the service, in order, with who made it.")
@RestController
class AuditController {

    private final AuditLog auditLog;
    private final JsonMapper json;

    AuditController(AuditLog auditLog, JsonMapper json) {
        this.auditLog = auditLog;
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Actor(String type, String userId, UUID keyId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(long position, Instant occurredAt, String type, Actor actor, String projectId, String subject,
                 JsonNode details, String correlationId) {
    }

    record EntryList(List<Entry> entries, String nextCursor) {
    }

    @Operation(summary = "Read the audit log", description = "The operator: all; a tenant admin: their project "
            + "(another project is 404 `PROJECT_NOT_FOUND`); a tenant user: the entries about their own keys and those "
            + "of their own actions. `from` is inclusive and `to` exclusive; entries are ordered by `position`, the "
            + "event's place in the event store, and appear once every earlier event has been through the audit log.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @GetMapping("/api/v1/audit")
    EntryList entries(@AuthenticationPrincipal Principal principal,
                      @RequestParam(required = false) String projectId,
                      @RequestParam(required = false) String userId,
                      @RequestParam(required = false) UUID keyId,
                      @RequestParam(required = false) String type,
                      @RequestParam(required = false) Instant from,
                      @RequestParam(required = false) Instant to,
                      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                      @RequestParam(required = false) String cursor) {
        AuditPage page = auditLog.entries(principal,
                new AuditQuery(projectId, userId, keyId, type, from, to, null, cursor, limit));
        return new EntryList(page.entries().stream().map(this::entry).toList(), page.nextCursor());
    }

    private Entry entry(AuditEntry entry) {
        return new Entry(entry.position(), entry.occurredAt(), entry.type(),
                new Actor(entry.actorType(), entry.actorUserId(), entry.actorKeyId()), entry.projectId(),
                entry.subject(), json.readTree(entry.detailsJson()), entry.correlationId());
    }
}
