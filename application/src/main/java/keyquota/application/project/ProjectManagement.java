package keyquota.application.project;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.application.auth.VerificationCache;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.Role;
import keyquota.domain.membership.RemoveMember;
import keyquota.domain.membership.SetMemberRole;
import keyquota.domain.project.CreateProject;
import keyquota.projections.member.MemberProjection;
import keyquota.projections.member.MemberView;
import keyquota.projections.project.ProjectPage;
import keyquota.projections.project.ProjectProjection;
import keyquota.projections.project.ProjectView;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Projects and their members: what the operator and tenant admins do on the project pages. */
@Service
public class ProjectManagement {

    private final CommandGateway commands;
    private final ProjectProjection projects;
    private final MemberProjection members;
    private final VerificationCache verifications;
    // Projects are never deleted, so a project seen once exists for good: every key and quota command checks
    // its project, and after the first one this node answers without a read.
    private final Set<String> knownProjects = ConcurrentHashMap.newKeySet();
    // GET /me shows a member's email: read on every call it cost the call a database round trip, which the key's
    // own verification saves (VerificationCache). Kept as long as a verified key is; a change made on this node
    // shows here at once, one made on another node within that time.
    private final Cache<String, Optional<String>> memberEmails = Caffeine.newBuilder()
            .expireAfterWrite(VerificationCache.TIME_TO_LIVE)
            .maximumSize(100_000)
            .build();

    public ProjectManagement(CommandGateway commands, ProjectProjection projects, MemberProjection members,
                             VerificationCache verifications) {
        this.commands = commands;
        this.projects = projects;
        this.members = members;
        this.verifications = verifications;
    }

    public ProjectView createProject(Principal principal, String projectId, String name) {
        Access.ensureOperator(principal);
        if (projects.find(projectId).isPresent()) {
            throw projectExists(projectId);
        }
        try {
            commands.sendAndWait(new CreateProject(projectId, name));
        } catch (AggregateStreamCreationException raceLost) {
            throw projectExists(projectId);
        }
        return project(projectId);
    }

    /** Every project, a page at a time: only the operator sees them all. */
    public ProjectPage listProjects(Principal principal, int limit, String cursor) {
        Access.ensureOperator(principal);
        return projects.page(limit, cursor);
    }

    public ProjectView getProject(Principal principal, String projectId) {
        Access.ensureInProject(principal, projectId);
        return project(projectId);
    }

    public List<MemberView> listMembers(Principal principal, String projectId) {
        Access.ensureProjectAdmin(principal, projectId);
        ensureProjectExists(projectId);
        return members.list(projectId);
    }

    public MemberView setMemberRole(Principal principal, String projectId, String userId, Role role) {
        return setMemberRole(principal, projectId, userId, role, null);
    }

    /** @param email the member's email address, or null to leave it as it is */
    public MemberView setMemberRole(Principal principal, String projectId, String userId, Role role, String email) {
        Access.ensureProjectAdmin(principal, projectId);
        ensureProjectExists(projectId);
        Optional<Role> before = members.find(projectId, userId).map(MemberView::role);
        commands.sendAndWait(new SetMemberRole(projectId, userId, role, email));
        memberEmails.invalidate(memberKey(projectId, userId));
        if (before.isPresent() && before.get() != role) {
            verifications.awaitRevokedFor(projectId, userId);
        }
        return ensureMember(projectId, userId);
    }

    /** A member's email address, if one was given; MEMBER_NOT_FOUND for one who is not a member. */
    public Optional<String> memberEmail(String projectId, String userId) {
        return memberEmails.get(memberKey(projectId, userId),
                key -> Optional.ofNullable(ensureMember(projectId, userId).email()));
    }

    private static String memberKey(String projectId, String userId) {
        return projectId + "/" + userId;
    }

    public void removeMember(Principal principal, String projectId, String userId) {
        Access.ensureProjectAdmin(principal, projectId);
        ensureProjectExists(projectId);
        ensureMember(projectId, userId);
        commands.sendAndWait(new RemoveMember(projectId, userId));
        memberEmails.invalidate(memberKey(projectId, userId));
        verifications.awaitRevokedFor(projectId, userId);
    }

    /** The project, or PROJECT_NOT_FOUND. */
    public ProjectView project(String projectId) {
        return projects.find(projectId).orElseThrow(
                () -> new DomainException(ErrorCode.PROJECT_NOT_FOUND, "Project not found."));
    }

    /** Nothing happens in a project that does not exist: PROJECT_NOT_FOUND. */
    public void ensureProjectExists(String projectId) {
        if (!knownProjects.contains(projectId)) {
            project(projectId);
            knownProjects.add(projectId);
        }
    }

    /** Only a current member holds keys, quota and usage: MEMBER_NOT_FOUND otherwise. */
    public MemberView ensureMember(String projectId, String userId) {
        return members.find(projectId, userId).orElseThrow(
                () -> new DomainException(ErrorCode.MEMBER_NOT_FOUND, "User is not a member of this project."));
    }

    private static DomainException projectExists(String projectId) {
        return new DomainException(ErrorCode.PROJECT_EXISTS, "Project " + projectId + " already exists.");
    }
}
