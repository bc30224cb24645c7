package keyquota.api.console.notification;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.FormErrors;
import keyquota.application.auth.Principal;
import keyquota.application.notification.NotificationType;
import keyquota.application.notification.Webhooks;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
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

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Webhooks, for tenant admins (their project's) and the operator (any project's, or every project's): the list,
 * making one (its signing secret shown once), its deliveries, and deleting it. The same {@link Webhooks} as the API.
 */
@Controller
@RequestMapping("/webhooks")
class WebhookPageController {

    private static final String CHANGED = "webhooks-changed";

    private final Webhooks webhooks;

    WebhookPageController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @GetMapping
    String page(@AuthenticationPrincipal Principal principal,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        model.addAttribute("webhooks", webhooks.list(principal));
        return "webhooks-table".equals(target) ? "console/webhooks :: table" : "console/webhooks";
    }

    @GetMapping("/new")
    String createDialog(@AuthenticationPrincipal Principal principal, Model model) {
        webhooks.list(principal);
        return createForm(null, null, null, new FormErrors(), model);
    }

    /** @param projectId the operator's choice; blank is every project (a tenant admin's is always their own) */
    @PostMapping
    String create(@AuthenticationPrincipal Principal principal, @RequestParam(required = false) String url,
                  @RequestParam(required = false) String projectId,
                  @RequestParam(required = false) List<String> types, Model model, HttpServletResponse response) {
        FormErrors errors = new FormErrors();
        if (url == null || url.isBlank()) {
            errors.reject("url", "error.required");
        } else {
            try {
                Webhooks.CreatedWebhook created = webhooks.create(principal, url.strip(),
                        projectId == null || projectId.isBlank() ? null : projectId.strip(),
                        types == null || types.isEmpty() ? null : types);
                model.addAttribute("webhook", created.webhook());
                model.addAttribute("secret", created.secret());
                response.setHeader("HX-Trigger", CHANGED);
                return "console/webhooks :: secret-dialog";
            } catch (InvalidValue e) {
                errors.reject(e.field(), "webhooks.invalid." + e.field());
            } catch (DomainException e) {
                if (e.code() != ErrorCode.PROJECT_NOT_FOUND) {
                    throw e;
                }
                errors.reject("projectId", "error.PROJECT_NOT_FOUND");
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return createForm(url, projectId, types, errors, model);
    }

    private String createForm(String url, String projectId, List<String> types, FormErrors errors, Model model) {
        model.addAttribute("url", url);
        model.addAttribute("projectId", projectId);
        model.addAttribute("types", types);
        model.addAttribute("allTypes", Arrays.stream(NotificationType.values()).map(Enum::name).toList());
        model.addAttribute("errors", errors);
        return "console/webhooks :: create-dialog";
    }

    @GetMapping("/{webhookId}/deliveries")
    String deliveries(@AuthenticationPrincipal Principal principal, @PathVariable UUID webhookId, Model model) {
        model.addAttribute("webhook", webhooks.list(principal).stream()
                .filter(webhook -> webhook.webhookId().equals(webhookId)).findFirst().orElse(null));
        model.addAttribute("deliveries", webhooks.deliveries(principal, webhookId));
        return "console/webhooks :: deliveries-dialog";
    }

    @PostMapping("/{webhookId}/delete")
    String delete(@AuthenticationPrincipal Principal principal, @PathVariable UUID webhookId, Model model,
                  HttpServletResponse response) {
        webhooks.delete(principal, webhookId);
        model.addAttribute("message", "webhooks.deleted");
        model.addAttribute("messageArgs", new Object[0]);
        response.setHeader("HX-Trigger", CHANGED);
        return "console/parts :: done";
    }
}
