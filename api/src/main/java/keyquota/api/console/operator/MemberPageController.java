package keyquota.api.console.operator;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.FormErrors;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.Role;
import keyquota.domain.UserId;
import keyquota.projections.member.MemberView;
import org.springframework.context.MessageSource;
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

import java.util.List;
import java.util.Locale;

/**
 * A project's members: adding one, changing a role, removing one. As in the API, the operator and the project's
 * tenant admins do this; a tenant user is refused and another project does not exist. Changing a role or removing
 * a member deletes the member's keys in the project, which the dialogs say before it happens.
 */
@Controller
@RequestMapping("/projects/{projectId}/members")
class MemberPageController {

    private static final String CHANGED = "members-changed";

    private final ProjectManagement projects;
    private final MessageSource messages;

    MemberPageController(ProjectManagement projects, MessageSource messages) {
        this.projects = projects;
        this.messages = messages;
    }

    @GetMapping
    String page(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        model.addAttribute("members", projects.listMembers(principal, projectId));
        model.addAttribute("project", projects.project(projectId));
        return "members-table".equals(target) ? "console/members :: table" : "console/members";
    }

    @GetMapping("/new")
    String addDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId, Model model) {
        projects.listMembers(principal, projectId);
        return addForm(projectId, "", Role.TENANT_USER.name(), new FormErrors(), model);
    }

    @PostMapping
    String add(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
               @RequestParam(required = false) String userId, @RequestParam(required = false) String role,
               Locale locale, Model model, HttpServletResponse response) {
        List<MemberView> members = projects.listMembers(principal, projectId);
        FormErrors errors = new FormErrors();
        if (userId == null || userId.isBlank()) {
            errors.reject("userId", "error.required");
        } else if (!userId.matches(UserId.PATTERN)) {
            errors.reject("userId", "members.add.userIdRule");
        } else if (members.stream().anyMatch(member -> member.userId().equals(userId))) {
            // The API's PUT would change their role and delete their keys: that is the table's role button.
            errors.reject("userId", "members.add.already");
        }
        Role chosen = roleOf(role, errors);
        if (!errors.any()) {
            MemberView added = projects.setMemberRole(principal, projectId, userId, chosen);
            model.addAttribute("message", "members.added");
            model.addAttribute("messageArgs", new Object[]{added.userId(), roleName(added.role(), locale)});
            response.setHeader("HX-Trigger", CHANGED);
            return "console/parts :: done";
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return addForm(projectId, userId, role, errors, model);
    }

    private String addForm(String projectId, String userId, String role, FormErrors errors, Model model) {
        model.addAttribute("project", projects.project(projectId));
        model.addAttribute("userId", userId);
        model.addAttribute("role", role);
        model.addAttribute("errors", errors);
        return "console/members :: add-dialog";
    }

    @GetMapping("/{userId}/role")
    String roleDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                      @PathVariable String userId, Model model) {
        MemberView member = member(principal, projectId, userId);
        return roleForm(member, member.role().name(), new FormErrors(), model);
    }

    @PostMapping("/{userId}/role")
    String changeRole(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                      @PathVariable String userId, @RequestParam(required = false) String role, Locale locale,
                      Model model, HttpServletResponse response) {
        MemberView member = member(principal, projectId, userId);
        FormErrors errors = new FormErrors();
        Role chosen = roleOf(role, errors);
        if (errors.any()) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return roleForm(member, role, errors, model);
        }
        MemberView changed = projects.setMemberRole(principal, projectId, userId, chosen);
        model.addAttribute("message", changed.role() == member.role() ? "members.roleUnchanged" : "members.roleChanged");
        model.addAttribute("messageArgs", new Object[]{changed.userId(), roleName(changed.role(), locale)});
        response.setHeader("HX-Trigger", CHANGED);
        return "console/parts :: done";
    }

    private String roleForm(MemberView member, String role, FormErrors errors, Model model) {
        model.addAttribute("project", projects.project(member.projectId()));
        model.addAttribute("member", member);
        model.addAttribute("role", role);
        model.addAttribute("errors", errors);
        return "console/members :: role-dialog";
    }

    @GetMapping("/{userId}/remove")
    String removeDialog(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                        @PathVariable String userId, Model model) {
        model.addAttribute("member", member(principal, projectId, userId));
        model.addAttribute("project", projects.project(projectId));
        return "console/members :: remove-dialog";
    }

    @PostMapping("/{userId}/remove")
    String remove(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                  @PathVariable String userId, Model model, HttpServletResponse response) {
        projects.removeMember(principal, projectId, userId);
        model.addAttribute("message", "members.removed");
        model.addAttribute("messageArgs", new Object[]{userId});
        response.setHeader("HX-Trigger", CHANGED);
        return "console/parts :: done";
    }

    /** The member, for a caller who may manage the project's members; MEMBER_NOT_FOUND for anyone else. */
    private MemberView member(Principal principal, String projectId, String userId) {
        return projects.listMembers(principal, projectId).stream()
                .filter(member -> member.userId().equals(userId))
                .findFirst()
                .orElseThrow(() -> new DomainException(ErrorCode.MEMBER_NOT_FOUND, "Not a member."));
    }

    private static Role roleOf(String role, FormErrors errors) {
        try {
            return Role.valueOf(role == null ? "" : role);
        } catch (IllegalArgumentException e) {
            errors.reject("role", "members.roleRequired");
            return null;
        }
    }

    /** The done message's arguments are words, not keys: the role is named here in the viewer's language. */
    private String roleName(Role role, Locale locale) {
        return messages.getMessage("role." + role.name(), null, locale);
    }
}
