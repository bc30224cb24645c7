package keyquota.api.project;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import keyquota.api.FreeText;
import keyquota.api.Refusals;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.ErrorCode;
import keyquota.domain.ProjectId;
import keyquota.domain.Role;
import keyquota.domain.UserId;
import keyquota.projections.member.MemberView;
import keyquota.projections.project.ProjectView;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

@Tag(name = "Projects and members", description = "Projects and their members, with their roles.")
@RestController
@RequestMapping("/api/v1/projects")
class ProjectController {

    private final ProjectManagement projects;

    ProjectController(ProjectManagement projects) {
        this.projects = projects;
    }

    record CreateProjectRequest(
            @NotNull @Pattern(regexp = ProjectId.PATTERN, message = ProjectId.RULE) String projectId,
            @NotNull @Size(min = 1, max = 100) @Pattern(regexp = FreeText.PATTERN, message = FreeText.RULE)
            String name) {
    }

    record ProjectResponse(String projectId, String name, Instant createdAt) {
        static ProjectResponse of(ProjectView project) {
            return new ProjectResponse(project.projectId(), project.name(), project.createdAt());
        }
    }

    /** @param email where the member's notifications go by email; left as it is when absent */
    record SetRoleRequest(@NotNull Role role, @Email @Size(max = 254) String email) {
    }

    record MemberResponse(String projectId, String userId, Role role, String email) {
    }

    /** Only tenant admins and the operator list members, so the email is shown to those the contract names. */
    record MemberListItem(String userId, Role role, Instant joinedAt, String email) {
    }

    record MemberList(List<MemberListItem> members) {
    }

    @Operation(summary = "Create a project", description = "The operator only.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_EXISTS})
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ProjectResponse create(@AuthenticationPrincipal Principal principal,
                           @Valid @RequestBody CreateProjectRequest request) {
        return ProjectResponse.of(projects.createProject(principal, request.projectId(), request.name()));
    }

    @Operation(summary = "Get a project", description = "The operator and the project's members.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @GetMapping("/{projectId}")
    ProjectResponse get(@AuthenticationPrincipal Principal principal, @PathVariable String projectId) {
        return ProjectResponse.of(projects.getProject(principal, projectId));
    }

    @Operation(summary = "List the members of a project",
            description = "The operator and tenant admins; each member with their email, where one was given.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @GetMapping("/{projectId}/members")
    MemberList members(@AuthenticationPrincipal Principal principal, @PathVariable String projectId) {
        return new MemberList(projects.listMembers(principal, projectId).stream()
                .map(member -> new MemberListItem(member.userId(), member.role(), member.joinedAt(), member.email()))
                .toList());
    }

    @Operation(summary = "Add a member, or change their role",
            description = "The operator and tenant admins. Changing a role deletes every key the member holds in the "
            + "project for the old role; setting a member's current role again changes nothing and deletes no keys. "
            + "`email` is left as it is when absent.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND})
    @PutMapping("/{projectId}/members/{userId}")
    MemberResponse setRole(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                           @PathVariable @Pattern(regexp = UserId.PATTERN, message = UserId.RULE)
                           String userId,
                           @Valid @RequestBody SetRoleRequest request) {
        MemberView member = projects.setMemberRole(principal, projectId, userId, request.role(), request.email());
        return new MemberResponse(member.projectId(), member.userId(), member.role(), member.email());
    }

    @Operation(summary = "Remove a member", description = "Deletes every key the member holds in the project; those "
            + "keys stop authenticating at once.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.PROJECT_NOT_FOUND, ErrorCode.MEMBER_NOT_FOUND})
    @DeleteMapping("/{projectId}/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@AuthenticationPrincipal Principal principal, @PathVariable String projectId,
                @PathVariable String userId) {
        projects.removeMember(principal, projectId, userId);
    }
}
