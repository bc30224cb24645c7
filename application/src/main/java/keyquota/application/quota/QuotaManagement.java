package keyquota.application.quota;

import keyquota.application.auth.Access;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.domain.quota.AllocateUsage;
import keyquota.domain.quota.AllocationResult;
import keyquota.domain.quota.QuotaDecision;
import keyquota.domain.quota.ReconcileAllocations;
import keyquota.domain.quota.Reconciliation;
import keyquota.domain.quota.ReleaseUsage;
import keyquota.domain.quota.SetAlertThresholds;
import keyquota.domain.quota.SetMemberQuota;
import keyquota.domain.quota.SetProjectQuota;
import keyquota.domain.service.CloudService;
import keyquota.domain.service.ServiceCatalog;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.projections.quota.MemberQuotaRow;
import keyquota.projections.quota.QuotaHistory;
import keyquota.projections.quota.QuotaProjection;
import keyquota.projections.quota.QuotaUsage;
import keyquota.projections.quota.QuotaView;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Resource quotas (TWCC "資源配額管理"): quotas set by the operator and tenant admins, usage reported by services. */
@Service
public class QuotaManagement {

    private final CommandGateway commands;
    private final ProjectManagement projects;
    private final QuotaProjection quotas;
    private final QuotaHistory history;
    private final ServiceCatalog catalog;

    public QuotaManagement(CommandGateway commands, ProjectManagement projects, QuotaProjection quotas,
                           QuotaHistory history, ServiceCatalog catalog) {
        this.commands = commands;
        this.projects = projects;
        this.quotas = quotas;
        this.history = history;
        this.catalog = catalog;
    }

    /** @param decision what a dry run would decide, or null */
    public record QuotaViewResult(QuotaView view, QuotaDecision decision) {
    }

    /** @param decision the quota that was (or on a dry run would be) set, and the acceptable ranges */
    public record MemberQuotaResult(String projectId, String service, MemberQuotaRow row, QuotaDecision decision) {
    }

    public ServiceCatalog catalog() {
        return catalog;
    }

    public QuotaViewResult setProjectQuota(Principal principal, String projectId, String service,
                                           Map<String, Long> quota, boolean force, boolean dryRun) {
        Access.ensureInProject(principal, projectId);
        Access.ensureOperator(principal);
        CloudService cloudService = serviceOf(projectId, service);
        QuotaDecision decision = commands.sendAndWait(new SetProjectQuota(projectId, service, quota, force, dryRun));
        return new QuotaViewResult(quotas.view(projectId, cloudService), dryRun ? decision : null);
    }

    public MemberQuotaResult setMemberQuota(Principal principal, String projectId, String service, String userId,
                                            Map<String, Long> quota, boolean force, boolean dryRun) {
        Access.ensureProjectAdmin(principal, projectId);
        CloudService cloudService = serviceOf(projectId, service);
        projects.ensureMember(projectId, userId);
        QuotaDecision decision = commands.sendAndWait(
                new SetMemberQuota(projectId, service, userId, quota, force, dryRun));
        MemberQuotaRow row = quotas.view(projectId, cloudService).members().stream()
                .filter(member -> member.userId().equals(userId))
                .findFirst()
                .orElseThrow();
        if (dryRun) {
            row = row.withQuota(decision.quota());
        }
        return new MemberQuotaResult(projectId, service, row, decision);
    }

    /**
     * A tenant user sees the project's totals and their own row only.
     *
     * @param asOf the time to show the view as it stood then, rebuilt from the events; null for now
     */
    public QuotaView view(Principal principal, String projectId, String service, Instant asOf) {
        Access.ensureInProject(principal, projectId);
        CloudService cloudService = serviceOf(projectId, service);
        QuotaView view;
        if (asOf == null) {
            view = quotas.view(projectId, cloudService);
        } else {
            if (projects.project(projectId).createdAt().isAfter(asOf)) {
                throw new DomainException(ErrorCode.PROJECT_NOT_FOUND, "The project did not exist at that time.");
            }
            view = history.asOf(projectId, cloudService, asOf);
        }
        Optional<String> own = Access.onlyOwnOf(principal);
        if (own.isPresent()) {
            return new QuotaView(view.projectId(), view.service(), view.project(), view.members().stream()
                    .filter(row -> row.userId().equals(own.get()))
                    .toList());
        }
        return view;
    }

    public record ServiceTotals(String service, QuotaUsage project) {
    }

    public List<ServiceTotals> summary(Principal principal, String projectId) {
        Access.ensureInProject(principal, projectId);
        projects.ensureProjectExists(projectId);
        return catalog.services().stream()
                .map(service -> new ServiceTotals(service.service(), quotas.projectTotals(projectId, service)))
                .toList();
    }

    public AllocationResult allocate(Principal principal, String projectId, String service, String allocationId,
                                     String userId, Map<String, Long> resources) {
        Access.ensureReportsUsageOf(principal, projectId, service);
        serviceOf(projectId, service);
        projects.ensureMember(projectId, userId);
        return commands.sendAndWait(new AllocateUsage(projectId, service, allocationId, userId, resources));
    }

    public void release(Principal principal, String projectId, String service, String allocationId) {
        Access.ensureReportsUsageOf(principal, projectId, service);
        serviceOf(projectId, service);
        commands.sendAndWait(new ReleaseUsage(projectId, service, allocationId));
    }

    /** Only what the service reports usage of: its own service key, or the operator. */
    public Reconciliation reconcile(Principal principal, String projectId, String service, Instant listedAt,
                                    Set<String> allocationIds, boolean dryRun) {
        Access.ensureReportsUsageOf(principal, projectId, service);
        serviceOf(projectId, service);
        return commands.sendAndWait(new ReconcileAllocations(projectId, service, listedAt, allocationIds, dryRun));
    }

    /** Members and the operator may read them. */
    public List<Integer> alertThresholds(Principal principal, String projectId, String service) {
        Access.ensureInProject(principal, projectId);
        serviceOf(projectId, service);
        return quotas.alertThresholds(projectId, service);
    }

    public List<Integer> setAlertThresholds(Principal principal, String projectId, String service,
                                            List<Integer> thresholds) {
        Access.ensureProjectAdmin(principal, projectId);
        serviceOf(projectId, service);
        commands.sendAndWait(new SetAlertThresholds(projectId, service, thresholds));
        return quotas.alertThresholds(projectId, service);
    }

    private CloudService serviceOf(String projectId, String service) {
        projects.ensureProjectExists(projectId);
        return catalog.service(service);
    }
}
