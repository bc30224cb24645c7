package keyquota.application.quotarequest;

import keyquota.application.auth.Access;
import keyquota.application.auth.Forbidden;
import keyquota.application.auth.Principal;
import keyquota.application.project.ProjectManagement;
import keyquota.application.quota.QuotaManagement;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.quota.QuotaPolicy;
import keyquota.domain.quotarequest.ApproveQuotaRequest;
import keyquota.domain.quotarequest.CancelQuotaRequest;
import keyquota.domain.quotarequest.Decider;
import keyquota.domain.quotarequest.ForwardQuotaRequest;
import keyquota.domain.quotarequest.QuotaRequestStatus;
import keyquota.domain.quotarequest.RejectQuotaRequest;
import keyquota.domain.quotarequest.RequestQuota;
import keyquota.domain.service.ServiceCatalog;
import keyquota.projections.quota.QuotaProjection;
import keyquota.projections.quota.QuotaUsage;
import keyquota.projections.quotarequest.QuotaRequestPage;
import keyquota.projections.quotarequest.QuotaRequestProjection;
import keyquota.projections.quotarequest.QuotaRequestView;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Quota requests (TWCC "配額申請"): members ask for a member quota, tenant admins and the operator decide. A
 * request is seen by its requester, the member it is for, the project's tenant admins and the operator; to anyone
 * else it does not exist.
 */
@Service
public class QuotaRequests {

    /** How often an approval that lost a race with another node is tried again, whole. */
    private static final int APPROVAL_ATTEMPTS = 10;

    private final CommandGateway commands;
    private final ProjectManagement projects;
    private final QuotaManagement quotas;
    private final QuotaProjection quotaView;
    private final QuotaRequestProjection requests;
    private final TransactionTemplate transactions;

    public QuotaRequests(CommandGateway commands, ProjectManagement projects, QuotaManagement quotas,
                         QuotaProjection quotaView, QuotaRequestProjection requests,
                         TransactionTemplate transactions) {
        this.commands = commands;
        this.projects = projects;
        this.quotas = quotas;
        this.quotaView = quotaView;
        this.requests = requests;
        this.transactions = transactions;
    }

    public ServiceCatalog catalog() {
        return quotas.catalog();
    }

    /**
     * A member asks for a member quota, for themselves or, as a tenant admin, for another member.
     *
     * @param userId the member whose quota it is, or null for the caller
     */
    public QuotaRequestView request(Principal principal, String projectId, String service, String userId,
                                    Map<String, Long> resources, String reason) {
        Access.ensureInProject(principal, projectId);
        // the operator sees every project: one that does not exist is 404 to them as to anyone
        projects.ensureProjectExists(projectId);
        if (!(principal instanceof Principal.Member member)) {
            throw new Forbidden("Quota requests are made by project members.");
        }
        String forUser = userId == null ? member.userId() : userId;
        if (!forUser.equals(member.userId()) && !member.isTenantAdmin()) {
            throw new Forbidden("Only a tenant admin may ask for another member's quota.");
        }
        quotas.catalog().service(service);
        projects.ensureMember(projectId, forUser);
        UUID requestId = UUID.randomUUID();
        commands.sendAndWait(new RequestQuota(requestId.toString(), projectId, service, forUser, resources, reason,
                member.userId()));
        return requests.find(requestId).orElseThrow();
    }

    /** A tenant user sees the requests they made and those made for them; a tenant admin and the operator all. */
    public QuotaRequestPage list(Principal principal, String projectId, QuotaRequestStatus status, int limit,
                                 String cursor) {
        Access.ensureInProject(principal, projectId);
        projects.ensureProjectExists(projectId);
        return requests.page(projectId, Access.onlyOwnOf(principal).orElse(null), status, limit, cursor);
    }

    public QuotaRequestView get(Principal principal, String projectId, UUID requestId) {
        return visible(principal, projectId, requestId);
    }

    /**
     * Sets the member quota asked for, as {@code PUT .../members/{userId}} would set it now; the operator also
     * raises the project quota where the request needs more. The approval and the quota change are appended in
     * one database transaction: both happen, or neither.
     */
    public QuotaRequestView approve(Principal principal, String projectId, UUID requestId) {
        QuotaRequestView request = visible(principal, projectId, requestId);
        Access.ensureProjectAdmin(principal, projectId);
        for (int attempt = 1; ; attempt++) {
            try {
                transactions.executeWithoutResult(status -> {
                    commands.sendAndWait(new ApproveQuotaRequest(requestId.toString(), deciderOf(principal)));
                    if (principal instanceof Principal.Operator) {
                        Map<String, Long> raise = projectQuotaNeeded(request);
                        if (!raise.isEmpty()) {
                            quotas.setProjectQuota(principal, projectId, request.service(), raise, false, false);
                        }
                    }
                    quotas.setMemberQuota(principal, projectId, request.service(), request.userId(),
                            request.resources(), false, false);
                });
                break;
            } catch (RuntimeException e) {
                // a clash aborted the whole transaction, so the whole approval is tried again on fresh state
                if (attempt == APPROVAL_ATTEMPTS || !isClash(e)) {
                    throw e;
                }
            }
        }
        return requests.find(requestId).orElseThrow();
    }

    public QuotaRequestView reject(Principal principal, String projectId, UUID requestId, String reason) {
        visible(principal, projectId, requestId);
        Access.ensureProjectAdmin(principal, projectId);
        commands.sendAndWait(new RejectQuotaRequest(requestId.toString(), deciderOf(principal), reason));
        return requests.find(requestId).orElseThrow();
    }

    /** A tenant admin hands a request the project quota cannot hold to the operator. */
    public QuotaRequestView forward(Principal principal, String projectId, UUID requestId, String reason) {
        visible(principal, projectId, requestId);
        if (!(principal instanceof Principal.Member member && member.isTenantAdmin())) {
            throw new Forbidden("Only a tenant admin forwards a request to the operator.");
        }
        commands.sendAndWait(new ForwardQuotaRequest(requestId.toString(), deciderOf(principal), reason));
        return requests.find(requestId).orElseThrow();
    }

    /** The requester withdraws it, or the operator does. */
    public QuotaRequestView cancel(Principal principal, String projectId, UUID requestId) {
        visible(principal, projectId, requestId);
        commands.sendAndWait(new CancelQuotaRequest(requestId.toString(), deciderOf(principal)));
        return requests.find(requestId).orElseThrow();
    }

    /** The project quota each requested resource needs beyond the current one; empty when it fits. */
    private Map<String, Long> projectQuotaNeeded(QuotaRequestView request) {
        QuotaUsage totals = quotaView.projectTotals(request.projectId(), quotas.catalog().service(request.service()));
        Map<String, Long> raise = new LinkedHashMap<>();
        request.resources().forEach((resource, wanted) -> {
            long current = totals.quota().getOrDefault(resource, 0L);
            if (wanted != QuotaPolicy.UNLIMITED && QuotaPolicy.isBelow(current, wanted)) {
                raise.put(resource, wanted);
            }
        });
        return raise;
    }

    /** The request, if the caller may see it: NOT_FOUND for an unknown id and for one the caller may not see. */
    private QuotaRequestView visible(Principal principal, String projectId, UUID requestId) {
        Access.ensureInProject(principal, projectId);
        projects.ensureProjectExists(projectId);
        Optional<String> own = Access.onlyOwnOf(principal);
        return requests.find(requestId)
                .filter(request -> request.projectId().equals(projectId))
                .filter(request -> own.map(request::involves).orElse(true))
                .orElseThrow(() -> new DomainException(ErrorCode.NOT_FOUND, "Quota request not found."));
    }

    private static Decider deciderOf(Principal principal) {
        return principal instanceof Principal.Member member ? Decider.member(member.userId())
                : Decider.theOperator();
    }

    private static boolean isClash(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }
}
