package keyquota.api.console.operator;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.FormErrors;
import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.ProjectId;
import keyquota.projections.project.ProjectPage;
import keyquota.projections.project.ProjectView;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The operator's projects: every project, newest first, and creating one. Members are refused, as by the API.
 * After a change the {@code projects-changed} event makes the table reload itself.
 */
@Controller
@RequestMapping("/projects")
class ProjectPageController {

    static final int PAGE_SIZE = 20;
    private static final String CHANGED = "projects-changed";

    private final ProjectManagement projects;

    ProjectPageController(ProjectManagement projects) {
        this.projects = projects;
    }

    @GetMapping
    String page(@AuthenticationPrincipal Principal principal, @RequestParam(required = false) String cursor,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        ProjectPage page = projects.listProjects(principal, PAGE_SIZE, cursor);
        model.addAttribute("projects", page.projects());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("paged", cursor != null);
        return "projects-table".equals(target) ? "console/projects :: table" : "console/projects";
    }

    @GetMapping("/new")
    String createDialog(@AuthenticationPrincipal Principal principal, Model model) {
        Access.ensureOperator(principal);
        return createForm("", "", new FormErrors(), model);
    }

    @PostMapping
    String create(@AuthenticationPrincipal Principal principal, @RequestParam(required = false) String projectId,
                  @RequestParam(required = false) String name, Model model, HttpServletResponse response) {
        Access.ensureOperator(principal);
        FormErrors errors = new FormErrors();
        if (projectId == null || projectId.isBlank()) {
            errors.reject("projectId", "error.required");
        } else if (!projectId.matches(ProjectId.PATTERN)) {
            errors.reject("projectId", "projects.create.projectIdRule");
        }
        errors.name("name", name, true);
        if (!errors.any()) {
            try {
                ProjectView created = projects.createProject(principal, projectId, name);
                model.addAttribute("message", "projects.created");
                model.addAttribute("messageArgs", new Object[]{created.name(), created.projectId()});
                response.setHeader("HX-Trigger", CHANGED);
                return "console/parts :: done";
            } catch (DomainException e) {
                if (e.code() != ErrorCode.PROJECT_EXISTS) {
                    throw e;
                }
                errors.reject("projectId", "error.PROJECT_EXISTS");
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return createForm(projectId, name, errors, model);
    }

    private static String createForm(String projectId, String name, FormErrors errors, Model model) {
        model.addAttribute("projectId", projectId);
        model.addAttribute("name", name);
        model.addAttribute("errors", errors);
        return "console/projects :: create-dialog";
    }
}
