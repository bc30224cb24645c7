package keyquota.api.console.audit;

import keyquota.api.console.FormErrors;
import keyquota.application.audit.AuditLog;
import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.UserId;
import keyquota.projections.audit.AuditPage;
import keyquota.projections.audit.AuditQuery;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

import jakarta.servlet.http.HttpServletResponse;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static keyquota.api.console.FormValues.blankToNull;

/**
 * A project's audit log: who changed what, when, each change in words. The same {@link AuditLog} as the API, so a
 * tenant user sees only entries about their own keys and their own actions, a tenant admin the project's.
 */
@Controller
class AuditPageController {

    static final int PAGE_SIZE = 50;

    private final AuditLog auditLog;
    private final ProjectManagement projects;
    private final AuditWords words;

    AuditPageController(AuditLog auditLog, ProjectManagement projects, AuditWords words) {
        this.auditLog = auditLog;
        this.projects = projects;
        this.words = words;
    }

    /** Times typed in the viewer's zone (console.js fills {@code zone}); {@code from} inclusive, {@code to} not. */
    @GetMapping("/projects/{projectId}/audit")
    String page(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @RequestParam(required = false) String userId, @RequestParam(required = false) String keyId,
                @RequestParam(required = false) String type, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, @RequestParam(required = false) String zone,
                @RequestParam(required = false) String cursor,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model,
                HttpServletResponse response) {
        model.addAttribute("project", projects.getProject(principal, projectId));
        model.addAttribute("members", Access.onlyOwnOf(principal).isPresent() ? List.of()
                : projects.listMembers(principal, projectId));
        model.addAttribute("types", AuditWords.TYPES);
        model.addAttribute("filter", new Filter(blankToNull(userId), blankToNull(keyId), blankToNull(type),
                blankToNull(from), blankToNull(to), blankToNull(zone)));

        FormErrors errors = new FormErrors();
        String user = blankToNull(userId);
        if (user != null && !user.matches(UserId.PATTERN)) {
            errors.reject("userId", "error.invalid");
        }
        UUID key = uuidOf(blankToNull(keyId), errors);
        String eventType = blankToNull(type);
        if (eventType != null && !AuditWords.TYPES.contains(eventType)) {
            errors.reject("type", "error.invalid");
        }
        Instant since = errors.time("from", from, zone);
        Instant until = errors.time("to", to, zone);
        model.addAttribute("errors", errors);
        if (errors.any()) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("entries", List.of());
            model.addAttribute("nextCursor", null);
        } else {
            AuditPage page = auditLog.entries(principal, new AuditQuery(projectId, user, key, eventType, since, until,
                    null, blankToNull(cursor), PAGE_SIZE));
            model.addAttribute("entries", page.entries().stream().map(words::of).toList());
            model.addAttribute("nextCursor", page.nextCursor());
        }
        model.addAttribute("paged", cursor != null && !cursor.isBlank());
        return "audit-entries".equals(target) ? "console/audit :: entries" : "console/audit";
    }

    /** The filters as typed, to fill the form again and to carry into the next page's link. */
    public record Filter(String userId, String keyId, String type, String from, String to, String zone) {
    }

    private static UUID uuidOf(String typed, FormErrors errors) {
        if (typed == null) {
            return null;
        }
        try {
            return UUID.fromString(typed.strip());
        } catch (IllegalArgumentException e) {
            errors.reject("keyId", "error.invalid");
            return null;
        }
    }

}
