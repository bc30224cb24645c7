package keyquota.api.console.quota;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.FormErrors;
import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.application.quota.QuotaManagement;
import keyquota.application.quota.UsageReports;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.quota.QuotaDecision;
import keyquota.domain.quota.QuotaPolicy;
import keyquota.domain.quota.Range;
import keyquota.domain.service.CloudService;
import keyquota.projections.quota.MemberQuotaRow;
import keyquota.projections.quota.QuotaUsage;
import keyquota.projections.quota.QuotaView;
import keyquota.projections.quota.UsageHistory;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TWCC's "資源配額管理" screen: a project's usage against quota for one service, every member's row, and the
 * edit quota dialogs (a member's, for tenant admins and the operator; the project's, for the operator). The dialogs
 * check the values while they are typed with dry runs of the very command that sets them, and the command decides
 * on saving. Everything goes through {@link QuotaManagement}, with the API's authorization. After a change the
 * {@code quotas-changed} event makes the view reload itself.
 */
@Controller
@RequestMapping("/projects/{projectId}/quotas")
class QuotaPageController {

    private static final String CHANGED = "quotas-changed";

    /** The days the usage history chart shows, today included. */
    private static final int HISTORY_DAYS = 30;

    private final QuotaManagement quotas;
    private final ProjectManagement projects;
    private final UsageReports reports;
    private final Clock clock;

    QuotaPageController(QuotaManagement quotas, ProjectManagement projects, UsageReports reports, Clock clock) {
        this.quotas = quotas;
        this.projects = projects;
        this.reports = reports;
        this.clock = clock;
    }

    /** The charts of one series: the project's (userId null) or a member's. */
    public record UsageSeries(String userId, List<UsageChart> charts) {
    }

    /** Whose quota a dialog sets: a member's, or (userId null) the project's. */
    private record Edit(Principal principal, String projectId, CloudService service, String userId) {

        boolean member() {
            return userId != null;
        }
    }

    /** The first service of the catalog; the others are a link away. */
    @GetMapping
    String firstService(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                        @RequestParam(required = false) String asOf, @RequestParam(required = false) String zone,
                        @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        return page(principal, projectId, quotas.catalog().services().get(0).service(), asOf, zone, target, model);
    }

    /** The view now, or as it stood at a time the viewer picked in their own time zone (then read-only). */
    @GetMapping("/{service}")
    String page(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @PathVariable String service, @RequestParam(required = false) String asOf,
                @RequestParam(required = false) String zone,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        model.addAttribute("project", projects.getProject(principal, projectId));
        CloudService cloudService = quotas.catalog().service(service);
        FormErrors errors = new FormErrors();
        Instant at = errors.time("asOf", asOf, zone);
        QuotaView view = null;
        if (at != null) {
            try {
                view = quotas.view(principal, projectId, service, at);
            } catch (DomainException e) {
                if (e.code() != ErrorCode.PROJECT_NOT_FOUND) {
                    throw e;
                }
                errors.reject("asOf", "quotas.asOf.notYet");
                at = null;
            }
        }
        if (view == null) {
            view = quotas.view(principal, projectId, service, null);
        }
        model.addAttribute("services", quotas.catalog().services());
        model.addAttribute("service", cloudService);
        model.addAttribute("totals", QuotaAmount.of(cloudService.resources(), view.project().quota(),
                view.project().usage(), false));
        model.addAttribute("members", view.members().stream().map(row -> new MemberQuotaLine(row.userId(),
                row.role(), row.overQuota(), QuotaAmount.of(cloudService.resources(), row.quota(), row.usage(),
                true))).toList());
        model.addAttribute("asOf", at);
        model.addAttribute("asOfTyped", asOf);
        model.addAttribute("errors", errors);
        if ("quota-view".equals(target)) {
            return "console/quotas :: view";
        }
        // the history and the alerts are on the whole page only, not in the view that reloads itself after a change
        if (at == null) {
            model.addAttribute("histories", histories(principal, projectId, cloudService));
        }
        AlertPageController.fill(model, projectId, service, quotas.alertThresholds(principal, projectId, service),
                null, errors, null);
        return "console/quotas";
    }

    /** The project's last days, and a tenant user's own beside them (the only member series they may read). */
    private List<UsageSeries> histories(Principal principal, String projectId, CloudService service) {
        Instant now = clock.instant();
        Instant from = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(HISTORY_DAYS - 1));
        List<UsageSeries> histories = new ArrayList<>();
        List<String> users = new ArrayList<>();
        users.add(null);
        Access.onlyOwnOf(principal).ifPresent(users::add);
        for (String userId : users) {
            List<UsageHistory.Point> points = reports.series(principal, projectId, service.service(), from, now,
                    UsageHistory.Step.DAY, userId);
            histories.add(new UsageSeries(userId, service.resources().stream()
                    .map(resource -> UsageChart.of(resource, points)).toList()));
        }
        return histories;
    }

    @GetMapping("/{service}/members/{userId}")
    String memberDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                        @PathVariable String service, @PathVariable String userId, Model model) {
        return dialog(edit(principal, projectId, service, userId), model);
    }

    /** The typed values against the rules, while they are typed. */
    @GetMapping("/{service}/members/{userId}/check")
    String memberCheck(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                       @PathVariable String service, @PathVariable String userId,
                       @RequestParam Map<String, String> typed, Model model) {
        return liveCheck(edit(principal, projectId, service, userId), typed, model);
    }

    @PostMapping("/{service}/members/{userId}")
    String setMemberQuota(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                          @PathVariable String service, @PathVariable String userId,
                          @RequestParam Map<String, String> typed, Model model, HttpServletResponse response) {
        return save(edit(principal, projectId, service, userId), typed, model, response);
    }

    @GetMapping("/{service}/project")
    String projectDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                         @PathVariable String service, Model model) {
        return dialog(edit(principal, projectId, service, null), model);
    }

    @GetMapping("/{service}/project/check")
    String projectCheck(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                        @PathVariable String service, @RequestParam Map<String, String> typed, Model model) {
        return liveCheck(edit(principal, projectId, service, null), typed, model);
    }

    @PostMapping("/{service}/project")
    String setProjectQuota(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                           @PathVariable String service, @RequestParam Map<String, String> typed, Model model,
                           HttpServletResponse response) {
        return save(edit(principal, projectId, service, null), typed, model, response);
    }

    private Edit edit(Principal principal, String projectId, String service, String userId) {
        return new Edit(principal, projectId, quotas.catalog().service(service), userId);
    }

    /** The dialog starts from the quota as it is: nothing to check yet but the ranges. */
    private String dialog(Edit edit, Model model) {
        Map<String, Range> acceptable = acceptable(edit);
        fillDialog(edit, standing(edit), Map.of(), new QuotaCheck(acceptable, new FormErrors()), false, model);
        return "console/quotas :: quota-dialog";
    }

    private String liveCheck(Edit edit, Map<String, String> typed, Model model) {
        Map<String, Range> acceptable = acceptable(edit);
        QuotaUsage standing = standing(edit);
        FormErrors errors = new FormErrors();
        Map<String, Long> changes = changes(edit, typed, standing.quota(), errors);
        fillDialog(edit, standing, typed, check(edit, changes, errors, acceptable), forced(typed), model);
        return "console/quotas :: check";
    }

    private String save(Edit edit, Map<String, String> typed, Model model, HttpServletResponse response) {
        Map<String, Range> acceptable = acceptable(edit);
        QuotaUsage standing = standing(edit);
        FormErrors errors = new FormErrors();
        Map<String, Long> changes = changes(edit, typed, standing.quota(), errors);
        boolean force = forced(typed);
        QuotaCheck check = check(edit, changes, errors, acceptable);
        if (!errors.any() && changes.isEmpty()) {
            errors.reject(FormErrors.FORM, "quotas.edit.unchanged");
        }
        if (check.forceNeeded() && !force) {
            errors.reject("force", "quotas.force.needed");
        }
        if (!errors.any()) {
            try {
                set(edit, changes, force, false);
                String saved = edit.member() ? "quotas.saved.member" : "quotas.saved.project";
                model.addAttribute("message", check.forceNeeded() ? saved + "Forced" : saved);
                model.addAttribute("messageArgs", new Object[]{edit.member() ? edit.userId() : edit.projectId(),
                        edit.service().service()});
                response.setHeader("HX-Trigger", CHANGED);
                return "console/quotas :: done";
            } catch (DomainException | InvalidValue e) {
                // the quota or usage changed since the check, at the same moment: check again against it now
                standing = standing(edit);
                check = check(edit, changes, errors, acceptable(edit));
                if (check.forceNeeded() && !force) {
                    errors.reject("force", "quotas.force.needed");
                }
                if (!errors.any()) {
                    refuse(edit, e, errors);
                }
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        fillDialog(edit, standing, typed, check, force, model);
        return "console/quotas :: quota-dialog";
    }

    private static boolean forced(Map<String, String> typed) {
        return "true".equals(typed.get("force"));
    }

    private void fillDialog(Edit edit, QuotaUsage standing, Map<String, String> typed, QuotaCheck check,
                            boolean force, Model model) {
        Map<String, String> values = new LinkedHashMap<>();
        edit.service().resources().forEach(resource -> values.put(resource,
                typed.getOrDefault(resource, String.valueOf(standing.quota().get(resource)))));
        model.addAttribute("projectId", edit.projectId());
        model.addAttribute("service", edit.service());
        model.addAttribute("userId", edit.userId());
        model.addAttribute("amounts", QuotaAmount.of(edit.service().resources(), standing.quota(),
                standing.usage(), edit.member()));
        model.addAttribute("values", values);
        model.addAttribute("check", check);
        model.addAttribute("errors", check.errors());
        model.addAttribute("force", force);
    }

    /**
     * The acceptable ranges, from a dry run with a value every rule accepts (-1: no member cap, or an unlimited
     * project). Asked first, it is also the dialog's authorization: whoever may not set this quota gets the API's
     * refusal (403 for a tenant user, 404 for another project or someone who is not a member).
     */
    private Map<String, Range> acceptable(Edit edit) {
        return set(edit, Map.of(edit.service().resources().get(0), QuotaPolicy.UNLIMITED), false, true)
                .acceptable();
    }

    /** The quota and usage the dialog starts from. */
    private QuotaUsage standing(Edit edit) {
        QuotaView view = quotas.view(edit.principal(), edit.projectId(), edit.service().service(), null);
        if (!edit.member()) {
            return view.project();
        }
        MemberQuotaRow row = view.members().stream().filter(member -> member.userId().equals(edit.userId()))
                .findFirst()
                .orElseThrow(() -> new DomainException(ErrorCode.MEMBER_NOT_FOUND, "Not a member."));
        return new QuotaUsage(row.quota(), row.usage());
    }

    /** The typed values that differ from the quota now: only they are sent, as the API takes a partial quota. */
    private static Map<String, Long> changes(Edit edit, Map<String, String> typed, Map<String, Long> current,
                                             FormErrors errors) {
        Map<String, Long> changes = new LinkedHashMap<>();
        for (String resource : edit.service().resources()) {
            String value = typed.get(resource);
            if (value == null) {
                continue;
            }
            if (value.isBlank()) {
                errors.reject(resource, "error.required");
                continue;
            }
            long quota;
            try {
                quota = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                errors.reject(resource, "error.wholeNumber");
                continue;
            }
            if (quota < QuotaPolicy.UNLIMITED) {
                errors.reject(resource, "quotas.error.value");
            } else if (quota != current.get(resource)) {
                changes.put(resource, quota);
            }
        }
        return changes;
    }

    /**
     * Each changed resource alone through a dry run of the command, without force and, if refused, with it: so each
     * field gets the rule's own answer, and force is offered exactly where the command would accept it.
     */
    private QuotaCheck check(Edit edit, Map<String, Long> changes, FormErrors errors,
                             Map<String, Range> acceptable) {
        QuotaCheck check = new QuotaCheck(acceptable, errors);
        changes.forEach((resource, quota) -> {
            Map<String, Long> change = Map.of(resource, quota);
            try {
                set(edit, change, false, true);
            } catch (DomainException | InvalidValue refused) {
                try {
                    set(edit, change, true, true);
                    DomainException overridable = (DomainException) refused;
                    check.warn(resource, messageOf(edit, overridable), argsOf(overridable));
                } catch (DomainException | InvalidValue e) {
                    refuse(edit, e, errors);
                }
            }
        });
        return check;
    }

    private QuotaDecision set(Edit edit, Map<String, Long> quota, boolean force, boolean dryRun) {
        if (edit.member()) {
            return quotas.setMemberQuota(edit.principal(), edit.projectId(), edit.service().service(),
                    edit.userId(), quota, force, dryRun).decision();
        }
        return quotas.setProjectQuota(edit.principal(), edit.projectId(), edit.service().service(), quota, force,
                dryRun).decision();
    }

    /** A rule's refusal next to the resource it names; anything else is not a quota rule and is thrown on. */
    private static void refuse(Edit edit, RuntimeException e, FormErrors errors) {
        if (e instanceof InvalidValue invalid && invalid.field().startsWith("quota.")) {
            errors.reject(invalid.field().substring("quota.".length()), "quotas.error.value");
        } else if (e instanceof DomainException domain && domain.details().get("resource") instanceof String resource
                && (domain.code() == ErrorCode.QUOTA_BELOW_USAGE || domain.code() == ErrorCode.QUOTA_ABOVE_PROJECT)) {
            errors.reject(resource, messageOf(edit, domain), argsOf(domain));
        } else {
            throw e;
        }
    }

    private static String messageOf(Edit edit, DomainException e) {
        if (e.code() == ErrorCode.QUOTA_BELOW_USAGE) {
            return "quotas.error.QUOTA_BELOW_USAGE";
        }
        // for a member, above the project's quota; for the project, below some member's
        return edit.member() ? "quotas.error.QUOTA_ABOVE_PROJECT" : "quotas.error.belowMember";
    }

    private static Object[] argsOf(DomainException e) {
        return new Object[]{e.details().getOrDefault("usage", 0L), e.details().getOrDefault("projectQuota", 0L)};
    }
}
