package keyquota.api.console.key;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.ConsoleTimes;
import keyquota.api.console.FormErrors;
import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.application.key.CreatedKey;
import keyquota.application.key.KeyManagement;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.UserId;
import keyquota.domain.key.AllowedCidrs;
import keyquota.domain.key.KeyPolicy;
import keyquota.domain.key.KeyServices;
import keyquota.domain.key.RollKey;
import keyquota.domain.service.ServiceCatalog;
import keyquota.projections.key.KeyPage;
import keyquota.projections.key.KeyStatus;
import keyquota.projections.key.KeyView;
import keyquota.projections.member.MemberView;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static keyquota.api.console.FormValues.blankToNull;

/**
 * TWCC's "API 金鑰管理" screen: the table of keys and its dialogs (create, extend, delete, a key as of a time).
 * Everything goes through {@link KeyManagement}, with the API's authorization: a page offers only what the
 * service would do for this caller. Dialogs come back as fragments into the page's {@code #dialog}; after a
 * change the {@code keys-changed} event makes the table reload itself.
 */
@Controller
@RequestMapping("/projects/{projectId}/keys")
class KeyPageController {

    static final int PAGE_SIZE = 20;
    private static final String CHANGED = "keys-changed";

    private final KeyManagement keys;
    private final ProjectManagement projects;
    private final KeyPolicy policy;
    private final ServiceCatalog catalog;
    private final ConsoleTimes times;

    KeyPageController(KeyManagement keys, ProjectManagement projects, KeyPolicy policy, ServiceCatalog catalog,
                      ConsoleTimes times) {
        this.keys = keys;
        this.projects = projects;
        this.policy = policy;
        this.catalog = catalog;
        this.times = times;
    }

    @GetMapping
    String page(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @RequestParam(required = false) KeyStatus status, @RequestParam(required = false) String owner,
                @RequestParam(required = false) String cursor,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        String ownerFilter = owner == null || owner.isBlank() ? null : owner;
        KeyPage page = keys.list(principal, projectId, ownerFilter, status, PAGE_SIZE, cursor);
        model.addAttribute("project", projects.getProject(principal, projectId));
        model.addAttribute("keys", page.keys());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("paged", cursor != null);
        model.addAttribute("status", status);
        model.addAttribute("owner", ownerFilter);
        model.addAttribute("members", membersFor(principal, projectId));
        return "keys-table".equals(target) ? "console/keys :: table" : "console/keys";
    }

    @GetMapping("/new")
    String createDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId, Model model) {
        return createForm(principal, projectId, "", String.valueOf(policy.defaultValidDays()), null,
                new FormErrors(), model);
    }

    /**
     * @param services     the services checked; none checked means every service
     * @param allowedCidrs networks one per line; none means any address
     */
    @PostMapping
    String create(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                  @RequestParam(required = false) String name, @RequestParam(required = false) String validDays,
                  @RequestParam(required = false) String userId,
                  @RequestParam(required = false) List<String> services,
                  @RequestParam(required = false) String allowedCidrs, Model model, HttpServletResponse response) {
        FormErrors errors = new FormErrors();
        List<String> networks = allowedCidrs == null ? List.of() : allowedCidrs.lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
        errors.name("name", name, false);
        String owner = userId == null || userId.isBlank() ? null : userId;
        if (owner != null && !owner.matches(UserId.PATTERN)) {
            errors.reject("userId", "error.invalid");
        }
        Integer days = errors.wholeNumber("validDays", validDays, policy.defaultValidDays()).orElse(null);
        if (days != null && (days < 1 || days > policy.maxValidDays())) {
            errors.reject("validDays", "error.daysBetween", policy.maxValidDays());
        }
        if (!errors.any()) {
            try {
                CreatedKey created = keys.create(principal, projectId, owner, blankToNull(name), days,
                        services == null || services.isEmpty() ? null : services,
                        networks.isEmpty() ? null : networks);
                model.addAttribute("created", created.key());
                model.addAttribute("secret", created.secret().reveal());
                response.setHeader("HX-Trigger", CHANGED);
                return "console/keys :: secret-dialog";
            } catch (DomainException e) {
                if (e.code() == ErrorCode.MEMBER_NOT_FOUND) {
                    errors.reject("userId", "error.MEMBER_NOT_FOUND");
                } else if (e.code() == ErrorCode.KEY_LIMIT_REACHED) {
                    errors.reject(e, policy.maxActiveKeysPerMember());
                } else {
                    throw e;
                }
            } catch (InvalidValue e) {
                if (e.field().equals(KeyServices.FIELD) || e.field().equals(AllowedCidrs.FIELD)) {
                    errors.reject(e.field(), "keys.create.invalid." + e.field(), AllowedCidrs.MAX);
                } else {
                    errors.reject(e);
                }
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        model.addAttribute("services", services);
        model.addAttribute("allowedCidrs", allowedCidrs);
        return createForm(principal, projectId, name, validDays, owner, errors, model);
    }

    private String createForm(Principal principal, String projectId, String name, String validDays, String userId,
                              FormErrors errors, Model model) {
        model.addAttribute("catalog", catalog.serviceNames());
        model.addAttribute("project", projects.getProject(principal, projectId));
        model.addAttribute("members", membersFor(principal, projectId));
        model.addAttribute("name", name);
        model.addAttribute("validDays", validDays);
        model.addAttribute("userId", userId);
        model.addAttribute("maxValidDays", policy.maxValidDays());
        model.addAttribute("errors", errors);
        return "console/keys :: create-dialog";
    }

    /** One key, now or as it stood at a time the viewer picked in their own time zone. */
    @GetMapping("/{keyId}")
    String keyDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                     @PathVariable UUID keyId, @RequestParam(required = false) String asOf,
                     @RequestParam(required = false) String zone, Model model) {
        FormErrors errors = new FormErrors();
        Instant at = errors.time("asOf", asOf, zone);
        KeyView key = keys.get(principal, projectId, keyId);
        if (at != null) {
            try {
                key = keys.getAsOf(principal, projectId, keyId, at);
            } catch (DomainException e) {
                // The key did not exist yet at that time.
                errors.reject("asOf", "keys.asOf.notYet");
            }
        }
        model.addAttribute("key", key);
        model.addAttribute("asOf", errors.any() ? null : at);
        model.addAttribute("asOfTyped", asOf);
        model.addAttribute("errors", errors);
        model.addAttribute("project", projects.getProject(principal, projectId));
        return "console/keys :: key-dialog";
    }

    @GetMapping("/{keyId}/extend")
    String extendDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                        @PathVariable UUID keyId, Model model) {
        return extendForm(principal, projectId, keys.get(principal, projectId, keyId), "", new FormErrors(), model);
    }

    /** What extending by the days typed so far would give, by the same rules the command applies. */
    @GetMapping("/{keyId}/extend/preview")
    String extendPreview(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                         @PathVariable UUID keyId, @RequestParam(required = false) String days, Model model) {
        KeyView key = keys.get(principal, projectId, keyId);
        FormErrors errors = new FormErrors();
        model.addAttribute("newExpiry", newExpiry(key, days, errors));
        model.addAttribute("errors", errors);
        return "console/keys :: extend-preview";
    }

    @PostMapping("/{keyId}/extend")
    String extend(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                  @PathVariable UUID keyId, @RequestParam(required = false) String days, Model model,
                  HttpServletResponse response) {
        KeyView key = keys.get(principal, projectId, keyId);
        FormErrors errors = new FormErrors();
        Instant expected = newExpiry(key, days, errors);
        if (!errors.any()) {
            try {
                KeyView extended = keys.extend(principal, projectId, keyId, Integer.parseInt(days.strip()));
                model.addAttribute("message", "keys.extended");
                model.addAttribute("messageArgs", new Object[]{extended.name() == null ? extended.maskedKey()
                        : extended.name(), times.utc(extended.expiresAt())});
                response.setHeader("HX-Trigger", CHANGED);
                return "console/parts :: done";
            } catch (DomainException | InvalidValue e) {
                errors.reject("days", messageOf(e), policy.maxExpiryDays());
            }
        }
        model.addAttribute("newExpiry", expected);
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return extendForm(principal, projectId, key, days, errors, model);
    }

    private String extendForm(Principal principal, String projectId, KeyView key, String days, FormErrors errors,
                              Model model) {
        model.addAttribute("project", projects.getProject(principal, projectId));
        model.addAttribute("key", key);
        model.addAttribute("days", days);
        model.addAttribute("maxValidDays", policy.maxValidDays());
        model.addAttribute("errors", errors);
        return "console/keys :: extend-dialog";
    }

    private Instant newExpiry(KeyView key, String days, FormErrors errors) {
        Integer typed = errors.wholeNumber("days", days, null).orElse(null);
        if (typed == null) {
            return null;
        }
        Instant now = times.now();
        try {
            policy.checkExtensionDays(typed);
            if (key.isExpiredAt(now)) {
                throw new DomainException(ErrorCode.KEY_EXPIRED, "Key is expired.");
            }
            Instant newExpiry = key.expiresAt().plus(Duration.ofDays(typed));
            policy.ensureExpiryWithinLimit(newExpiry, now);
            return newExpiry;
        } catch (DomainException | InvalidValue e) {
            errors.reject("days", messageOf(e), e instanceof InvalidValue ? policy.maxValidDays()
                    : policy.maxExpiryDays());
            return null;
        }
    }

    private static String messageOf(RuntimeException e) {
        if (e instanceof InvalidValue) {
            return "error.daysBetween";
        }
        return "error." + ((DomainException) e).code().name();
    }

    /** Disabling answers once every node refuses the key, as the API's does. */
    @PostMapping("/{keyId}/disable")
    String disable(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                   @PathVariable UUID keyId, Model model, HttpServletResponse response) {
        return changed("keys.disabled", keys.disable(principal, projectId, keyId), model, response);
    }

    @PostMapping("/{keyId}/enable")
    String enable(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                  @PathVariable UUID keyId, Model model, HttpServletResponse response) {
        return changed("keys.enabled", keys.enable(principal, projectId, keyId), model, response);
    }

    @GetMapping("/{keyId}/rename")
    String renameDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                        @PathVariable UUID keyId, Model model) {
        KeyView key = keys.get(principal, projectId, keyId);
        return renameForm(principal, projectId, key, key.name(), new FormErrors(), model);
    }

    @PostMapping("/{keyId}/rename")
    String rename(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                  @PathVariable UUID keyId, @RequestParam(required = false) String name, Model model,
                  HttpServletResponse response) {
        FormErrors errors = new FormErrors();
        errors.name("name", name, false);
        if (!errors.any()) {
            return changed("keys.renamed", keys.rename(principal, projectId, keyId, blankToNull(name)), model,
                    response);
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return renameForm(principal, projectId, keys.get(principal, projectId, keyId), name, errors, model);
    }

    private String renameForm(Principal principal, String projectId, KeyView key, String name, FormErrors errors,
                              Model model) {
        model.addAttribute("project", projects.getProject(principal, projectId));
        model.addAttribute("key", key);
        model.addAttribute("name", name);
        model.addAttribute("errors", errors);
        return "console/keys :: rename-dialog";
    }

    @GetMapping("/{keyId}/roll")
    String rollDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                      @PathVariable UUID keyId, Model model) {
        return rollForm(principal, projectId, keys.get(principal, projectId, keyId),
                String.valueOf(RollKey.DEFAULT_GRACE_HOURS), new FormErrors(), model);
    }

    /** The new secret once, and until when the old key still works. */
    @PostMapping("/{keyId}/roll")
    String roll(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @PathVariable UUID keyId, @RequestParam(required = false) String graceHours, Model model,
                HttpServletResponse response) {
        FormErrors errors = new FormErrors();
        Integer grace = errors.wholeNumber("graceHours", graceHours, RollKey.DEFAULT_GRACE_HOURS).orElse(null);
        if (grace != null && (grace < 0 || grace > RollKey.MAX_GRACE_HOURS)) {
            errors.reject("graceHours", "keys.roll.graceHint");
        }
        if (!errors.any()) {
            try {
                CreatedKey created = keys.roll(principal, projectId, keyId, grace);
                model.addAttribute("created", created.key());
                model.addAttribute("secret", created.secret().reveal());
                model.addAttribute("rolledFrom", keys.get(principal, projectId, keyId));
                response.setHeader("HX-Trigger", CHANGED);
                return "console/keys :: secret-dialog";
            } catch (DomainException e) {
                if (e.code() == ErrorCode.KEY_NOT_FOUND) {
                    throw e;
                }
                errors.reject(e);
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return rollForm(principal, projectId, keys.get(principal, projectId, keyId), graceHours, errors, model);
    }

    private String rollForm(Principal principal, String projectId, KeyView key, String graceHours, FormErrors errors,
                            Model model) {
        model.addAttribute("project", projects.getProject(principal, projectId));
        model.addAttribute("key", key);
        model.addAttribute("graceHours", graceHours);
        model.addAttribute("errors", errors);
        return "console/keys :: roll-dialog";
    }

    private String changed(String message, KeyView key, Model model, HttpServletResponse response) {
        model.addAttribute("message", message);
        model.addAttribute("messageArgs", new Object[]{key.name() == null ? key.maskedKey() : key.name()});
        response.setHeader("HX-Trigger", CHANGED);
        return "console/parts :: done";
    }

    /** The confirmation names every selected key the caller may delete; the rest are not shown. */
    @PostMapping("/delete/confirm")
    String confirmDelete(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                         @RequestParam(name = "keyId", required = false) List<UUID> keyIds, Model model,
                         HttpServletResponse response) {
        List<KeyView> selected = new ArrayList<>();
        for (UUID keyId : keyIds == null ? List.<UUID>of() : keyIds.stream().distinct().limit(100).toList()) {
            try {
                selected.add(keys.get(principal, projectId, keyId));
            } catch (DomainException e) {
                if (e.code() != ErrorCode.KEY_NOT_FOUND) {
                    throw e;
                }
            }
        }
        if (selected.isEmpty()) {
            response.setHeader("HX-Retarget", "#status");
            response.setHeader("HX-Reswap", "innerHTML");
            model.addAttribute("message", "keys.delete.noneSelected");
            return "console/parts :: message";
        }
        model.addAttribute("project", projects.getProject(principal, projectId));
        model.addAttribute("selected", selected);
        return "console/keys :: delete-dialog";
    }

    @PostMapping("/delete")
    String delete(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                  @RequestParam(name = "keyId", required = false) List<UUID> keyIds, Model model,
                  HttpServletResponse response) {
        List<UUID> ids = keyIds == null ? List.of() : keyIds.stream().distinct().limit(100).toList();
        Map<UUID, KeyManagement.DeleteResult> results = ids.isEmpty() ? Map.of()
                : keys.deleteAll(principal, projectId, ids);
        long deleted = results.values().stream().filter(KeyManagement.DeleteResult.DELETED::equals).count();
        model.addAttribute("message", "keys.deleted");
        model.addAttribute("messageArgs", new Object[]{deleted, results.size() - deleted});
        response.setHeader("HX-Trigger", CHANGED);
        return "console/parts :: done";
    }

    /** Tenant admins and the operator create keys for, and filter by, any member; others see only their own. */
    private List<MemberView> membersFor(Principal principal, String projectId) {
        if (Access.onlyOwnOf(principal).isPresent()) {
            return List.of();
        }
        return projects.listMembers(principal, projectId);
    }

}
