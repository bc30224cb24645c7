package keyquota.api.console.quota;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.FormErrors;
import keyquota.application.auth.Principal;
import keyquota.application.quota.QuotaManagement;
import keyquota.domain.InvalidValue;
import keyquota.domain.quota.AlertThresholds;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.List;

/**
 * The quota page's usage alerts: every member sees the thresholds; tenant admins and the operator set them, typed
 * as a list ("80, 100"). The same {@link QuotaManagement} as the API decides.
 */
@Controller
@RequestMapping("/projects/{projectId}/quotas/{service}/alerts")
class AlertPageController {

    private static final String FIELD = AlertThresholds.FIELD;

    private final QuotaManagement quotas;

    AlertPageController(QuotaManagement quotas) {
        this.quotas = quotas;
    }

    /** The quota page's section, with what it needs in the model. */
    static void fill(Model model, String projectId, String service, List<Integer> thresholds, String typed,
                     FormErrors errors, String message) {
        model.addAttribute("projectId", projectId);
        model.addAttribute("serviceName", service);
        model.addAttribute("thresholds", thresholds);
        model.addAttribute("typed", typed);
        model.addAttribute("errors", errors);
        model.addAttribute("message", message);
    }

    @GetMapping
    String section(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                   @PathVariable String service, Model model) {
        fill(model, projectId, service, quotas.alertThresholds(principal, projectId, service), null,
                new FormErrors(), null);
        return "console/alerts :: alerts";
    }

    @PostMapping
    String save(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @PathVariable String service, @RequestParam(required = false) String thresholds, Model model,
                HttpServletResponse response) {
        FormErrors errors = new FormErrors();
        List<Integer> percentages = percentages(thresholds, errors);
        if (!errors.any()) {
            try {
                List<Integer> saved = quotas.setAlertThresholds(principal, projectId, service, percentages);
                fill(model, projectId, service, saved, null, errors, "quotas.alerts.saved");
                return "console/alerts :: alerts";
            } catch (InvalidValue e) {
                errors.reject(FIELD, "quotas.alerts.invalid");
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        fill(model, projectId, service, quotas.alertThresholds(principal, projectId, service), thresholds, errors,
                null);
        return "console/alerts :: alerts";
    }

    /** Whole numbers separated by commas or spaces; anything else is rejected next to the field. */
    private static List<Integer> percentages(String typed, FormErrors errors) {
        List<Integer> percentages = new ArrayList<>();
        if (typed == null || typed.isBlank()) {
            errors.reject(FIELD, "error.required");
            return percentages;
        }
        for (String part : typed.strip().split("[\\s,，、]+")) {
            String number = part.endsWith("%") ? part.substring(0, part.length() - 1) : part;
            if (!number.matches("\\d{1,3}")) {
                errors.reject(FIELD, "quotas.alerts.invalid");
                return percentages;
            }
            percentages.add(Integer.parseInt(number));
        }
        return percentages;
    }
}
