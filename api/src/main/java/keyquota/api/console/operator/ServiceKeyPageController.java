package keyquota.api.console.operator;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.FormErrors;
import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.application.key.CreatedKey;
import keyquota.application.key.ServiceKeyManagement;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.service.ServiceCatalog;
import keyquota.projections.key.KeyView;
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

import java.util.UUID;

/**
 * The operator's service keys, with which cloud services verify member keys and report usage: the list, creating
 * one (its secret shown once), deleting one. Members are refused, as by the API.
 */
@Controller
@RequestMapping("/service-keys")
class ServiceKeyPageController {

    private static final String CHANGED = "service-keys-changed";

    private final ServiceKeyManagement serviceKeys;
    private final ServiceCatalog catalog;

    ServiceKeyPageController(ServiceKeyManagement serviceKeys, ServiceCatalog catalog) {
        this.serviceKeys = serviceKeys;
        this.catalog = catalog;
    }

    @GetMapping
    String page(@AuthenticationPrincipal Principal principal,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        model.addAttribute("keys", serviceKeys.list(principal));
        return "service-keys-table".equals(target) ? "console/service-keys :: table" : "console/service-keys";
    }

    @GetMapping("/new")
    String createDialog(@AuthenticationPrincipal Principal principal, Model model) {
        Access.ensureOperator(principal);
        return createForm("", "", new FormErrors(), model);
    }

    /** @param service one of the catalog's services, or blank for a key that acts for every service */
    @PostMapping
    String create(@AuthenticationPrincipal Principal principal, @RequestParam(required = false) String name,
                  @RequestParam(required = false) String service, Model model, HttpServletResponse response) {
        Access.ensureOperator(principal);
        FormErrors errors = new FormErrors();
        errors.name("name", name, true);
        String forService = service == null || service.isBlank() ? null : service;
        if (forService != null && catalog.find(forService).isEmpty()) {
            errors.reject("service", "error.SERVICE_NOT_FOUND");
        }
        if (!errors.any()) {
            CreatedKey created = serviceKeys.create(principal, name, forService);
            model.addAttribute("created", created.key());
            model.addAttribute("secret", created.secret().reveal());
            response.setHeader("HX-Trigger", CHANGED);
            return "console/service-keys :: secret-dialog";
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return createForm(name, service, errors, model);
    }

    private String createForm(String name, String service, FormErrors errors, Model model) {
        model.addAttribute("name", name);
        model.addAttribute("service", service);
        model.addAttribute("services", catalog.services());
        model.addAttribute("errors", errors);
        return "console/service-keys :: create-dialog";
    }

    @GetMapping("/{keyId}/delete")
    String deleteDialog(@AuthenticationPrincipal Principal principal, @PathVariable UUID keyId, Model model) {
        model.addAttribute("key", serviceKey(principal, keyId));
        return "console/service-keys :: delete-dialog";
    }

    @PostMapping("/{keyId}/delete")
    String delete(@AuthenticationPrincipal Principal principal, @PathVariable UUID keyId, Model model,
                  HttpServletResponse response) {
        KeyView key = serviceKey(principal, keyId);
        serviceKeys.delete(principal, keyId);
        model.addAttribute("message", "serviceKeys.deleted");
        model.addAttribute("messageArgs", new Object[]{key.name(), key.maskedKey()});
        response.setHeader("HX-Trigger", CHANGED);
        return "console/parts :: done";
    }

    private KeyView serviceKey(Principal principal, UUID keyId) {
        return serviceKeys.list(principal).stream()
                .filter(key -> key.keyId().equals(keyId))
                .findFirst()
                .orElseThrow(() -> new DomainException(ErrorCode.KEY_NOT_FOUND, "Key not found."));
    }
}
