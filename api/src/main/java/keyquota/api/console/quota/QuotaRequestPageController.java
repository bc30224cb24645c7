package keyquota.api.console.quota;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.FormErrors;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.application.quotarequest.QuotaRequests;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.quotarequest.QuotaRequestStatus;
import keyquota.domain.service.CloudService;
import keyquota.projections.quotarequest.QuotaRequestPage;
import keyquota.projections.quotarequest.QuotaRequestView;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static keyquota.api.console.FormValues.strippedOrNull;

/**
 * TWCC's "配額申請": members ask for a member quota and follow their requests; tenant admins and the operator
 * approve, reject or (tenant admins) forward them in a dialog. Everything goes through {@link QuotaRequests}, with
 * the API's authorization; after a step the {@code quota-requests-changed} event makes the list reload itself.
 */
@Controller
@RequestMapping("/projects/{projectId}/quota-requests")
class QuotaRequestPageController {

    private static final String CHANGED = "quota-requests-changed";
    private static final int SHOWN = 50;
    /** The refusals a decision can meet that the decider can act on, said on the dialog's form. */
    private static final Set<ErrorCode> ON_THE_FORM = Set.of(ErrorCode.REQUEST_CLOSED, ErrorCode.FORBIDDEN,
            ErrorCode.QUOTA_ABOVE_PROJECT, ErrorCode.QUOTA_BELOW_USAGE, ErrorCode.MEMBER_NOT_FOUND);

    private final QuotaRequests requests;
    private final ProjectManagement projects;

    QuotaRequestPageController(QuotaRequests requests, ProjectManagement projects) {
        this.requests = requests;
        this.projects = projects;
    }

    @GetMapping
    String page(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @RequestParam(required = false) QuotaRequestStatus status,
                @RequestParam(required = false) String cursor,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        model.addAttribute("project", projects.getProject(principal, projectId));
        QuotaRequestPage page = requests.list(principal, projectId, status, SHOWN, cursor);
        model.addAttribute("requests", page.requests());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("status", status);
        model.addAttribute("statuses", QuotaRequestStatus.values());
        return "quota-requests-table".equals(target) ? "console/quota-requests :: table" : "console/quota-requests";
    }

    @GetMapping("/new")
    String askDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId, Model model) {
        projects.getProject(principal, projectId);
        fillAskForm(null, null, null, Map.of(), new FormErrors(), model);
        return "console/quota-requests :: ask-dialog";
    }

    /** A member asks; the resources left blank are not asked for. */
    @PostMapping
    String ask(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
               @RequestParam Map<String, String> typed, Model model, HttpServletResponse response) {
        String service = typed.getOrDefault("service", "");
        String userId = strippedOrNull(typed.get("userId"));
        String reason = strippedOrNull(typed.get("reason"));
        FormErrors errors = new FormErrors();
        Map<String, Long> resources = new LinkedHashMap<>();
        CloudService cloudService = requests.catalog().find(service).orElse(null);
        if (cloudService == null) {
            errors.reject("service", "error.required");
        } else {
            for (String resource : cloudService.resources()) {
                String value = strippedOrNull(typed.get(resource));
                if (value != null) {
                    try {
                        resources.put(resource, Long.parseLong(value));
                    } catch (NumberFormatException e) {
                        errors.reject(resource, "error.wholeNumber");
                    }
                }
            }
            if (resources.isEmpty() && !errors.any()) {
                errors.reject(cloudService.resources().get(0), "quotaRequests.error.noResource");
            }
        }
        if (reason == null) {
            errors.reject("reason", "error.required");
        }
        if (!errors.any()) {
            try {
                QuotaRequestView made = requests.request(principal, projectId, service, userId, resources, reason);
                return done(response, model, "quotaRequests.asked", made.service(), made.userId());
            } catch (InvalidValue e) {
                errors.reject(fieldOf(e.field()), "error.invalid");
            } catch (DomainException e) {
                if (e.code() != ErrorCode.MEMBER_NOT_FOUND) {
                    throw e;
                }
                errors.reject("userId", "error.MEMBER_NOT_FOUND");
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        fillAskForm(service, userId, reason, typed, errors, model);
        return "console/quota-requests :: ask-dialog";
    }

    @GetMapping("/{requestId}/decide")
    String decideDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                        @PathVariable UUID requestId, Model model) {
        return decideDialog(requests.get(principal, projectId, requestId), null, new FormErrors(), model);
    }

    @PostMapping("/{requestId}/approve")
    String approve(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                   @PathVariable UUID requestId, Model model, HttpServletResponse response) {
        return decide(principal, projectId, requestId, null, model, response, "quotaRequests.approved",
                () -> requests.approve(principal, projectId, requestId));
    }

    @PostMapping("/{requestId}/reject")
    String reject(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                  @PathVariable UUID requestId, @RequestParam(required = false) String reason, Model model,
                  HttpServletResponse response) {
        return decide(principal, projectId, requestId, reason, model, response, "quotaRequests.rejected",
                () -> requests.reject(principal, projectId, requestId, strippedOrNull(reason)));
    }

    @PostMapping("/{requestId}/forward")
    String forward(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                   @PathVariable UUID requestId, @RequestParam(required = false) String reason, Model model,
                   HttpServletResponse response) {
        return decide(principal, projectId, requestId, reason, model, response, "quotaRequests.forwarded",
                () -> requests.forward(principal, projectId, requestId, strippedOrNull(reason)));
    }

    @PostMapping("/{requestId}/cancel")
    String cancel(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                  @PathVariable UUID requestId, Model model, HttpServletResponse response) {
        QuotaRequestView cancelled = requests.cancel(principal, projectId, requestId);
        return done(response, model, "quotaRequests.cancelled", cancelled.service(), cancelled.userId());
    }

    private interface Step {
        QuotaRequestView take();
    }

    /** A decision from the dialog; a refusal the decider can act on is said there, with 422. */
    private String decide(Principal principal, String projectId, UUID requestId, String reason, Model model,
                          HttpServletResponse response, String message, Step step) {
        FormErrors errors = new FormErrors();
        try {
            QuotaRequestView decided = step.take();
            return done(response, model, message, decided.service(), decided.userId());
        } catch (InvalidValue e) {
            errors.reject("reason", "error.required");
        } catch (DomainException e) {
            if (!ON_THE_FORM.contains(e.code())) {
                throw e;
            }
            errors.reject(FormErrors.FORM, "error." + e.code().name());
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return decideDialog(requests.get(principal, projectId, requestId), reason, errors, model);
    }

    private String decideDialog(QuotaRequestView request, String reason, FormErrors errors, Model model) {
        model.addAttribute("request", request);
        model.addAttribute("reason", reason);
        model.addAttribute("errors", errors);
        return "console/quota-requests :: decide-dialog";
    }

    private String done(HttpServletResponse response, Model model, String message, Object... args) {
        model.addAttribute("message", message);
        model.addAttribute("messageArgs", args);
        response.setHeader("HX-Trigger", CHANGED);
        return "console/parts :: done";
    }

    private void fillAskForm(String service, String userId, String reason, Map<String, String> typed,
                             FormErrors errors, Model model) {
        model.addAttribute("services", requests.catalog().services());
        model.addAttribute("askService", service == null ? requests.catalog().services().get(0).service() : service);
        model.addAttribute("askUserId", userId);
        model.addAttribute("askReason", reason);
        model.addAttribute("typed", typed);
        model.addAttribute("resources", requests.catalog().services().stream()
                .flatMap(s -> s.resources().stream()).distinct().toList());
        model.addAttribute("errors", errors);
    }

    /** The form's field a rule names: "resources.gpu" is the gpu field. */
    private static String fieldOf(String field) {
        return field.startsWith("resources.") ? field.substring("resources.".length()) : field;
    }

}
