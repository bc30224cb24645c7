package keyquota.domain.quotarequest;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.Time;
import keyquota.domain.quota.QuotaPolicy;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A member's request for a quota of one service, and its way to a decision. It holds only its own state: approving
 * it decides that the request is granted, and the quota itself is set by {@link keyquota.domain.quota.ProjectQuota}
 * in the same transaction, with the quota rules as they stand then.
 */
public class QuotaRequest {

    public static final int MAX_REASON_LENGTH = 500;

    @AggregateIdentifier
    private String requestId;
    private String projectId;
    private String service;
    private String userId;
    private Map<String, Long> resources;
    private String requestedBy;
    private QuotaRequestStatus status;

    protected QuotaRequest() {
    }

    @CommandHandler
    public QuotaRequest(RequestQuota command, ServiceCatalog catalog, Clock clock) {
        QuotaPolicy.checkQuotaValues(catalog.service(command.service()), command.resources(), "resources");
        checkReason("reason", command.reason(), true);
        apply(new QuotaRequested(command.requestId(), command.projectId(), command.service(), command.userId(),
                Map.copyOf(command.resources()), command.reason(), command.requestedBy(), Time.now(clock)));
    }

    @CommandHandler
    public void handle(ApproveQuotaRequest command, Clock clock) {
        ensureOpen();
        ensureDecidableBy(command.decider());
        apply(new QuotaRequestApproved(requestId, projectId, service, userId, resources, command.decider(),
                Time.now(clock)));
    }

    @CommandHandler
    public void handle(RejectQuotaRequest command, Clock clock) {
        checkReason("reason", command.reason(), true);
        ensureOpen();
        ensureDecidableBy(command.decider());
        apply(new QuotaRequestRejected(requestId, projectId, service, userId, command.decider(), command.reason(),
                Time.now(clock)));
    }

    @CommandHandler
    public void handle(ForwardQuotaRequest command, Clock clock) {
        checkReason("reason", command.reason(), false);
        ensurePending();
        apply(new QuotaRequestForwarded(requestId, projectId, service, userId, command.decider(), command.reason(),
                Time.now(clock)));
    }

    @CommandHandler
    public void handle(CancelQuotaRequest command, Clock clock) {
        ensureCancellableBy(command.decider());
        ensureOpen();
        apply(new QuotaRequestCancelled(requestId, projectId, service, userId, command.decider(), Time.now(clock)));
    }

    /** A request is decided, or cancelled, at most once: REQUEST_CLOSED afterwards. */
    private void ensureOpen() {
        if (!status.isOpen()) {
            throw closed();
        }
    }

    /** Only a request nobody has forwarded yet can be forwarded. */
    private void ensurePending() {
        if (status != QuotaRequestStatus.PENDING) {
            throw closed();
        }
    }

    /** A forwarded request waits for the operator: the tenant admins handed it on. */
    private void ensureDecidableBy(Decider decider) {
        if (status == QuotaRequestStatus.FORWARDED && !decider.operator()) {
            throw new DomainException(ErrorCode.FORBIDDEN, "A forwarded request is decided by the operator.");
        }
    }

    /** The member who asked withdraws their request; the operator may withdraw any. */
    private void ensureCancellableBy(Decider decider) {
        if (!decider.operator() && !requestedBy.equals(decider.userId())) {
            throw new DomainException(ErrorCode.FORBIDDEN, "Only the member who made the request may cancel it.");
        }
    }

    private DomainException closed() {
        return new DomainException(ErrorCode.REQUEST_CLOSED, "The request is " + status.name() + ".",
                Map.of("requestStatus", status.name()));
    }

    /** A reason is free text of at most {@value #MAX_REASON_LENGTH} characters, not blank when given. */
    public static void checkReason(String field, String reason, boolean required) {
        if (reason == null) {
            if (required) {
                throw new InvalidValue(field, "is required");
            }
            return;
        }
        if (reason.isBlank() || reason.length() > MAX_REASON_LENGTH) {
            throw new InvalidValue(field, "must be 1-" + MAX_REASON_LENGTH + " characters, not blank");
        }
    }

    @EventSourcingHandler
    void on(QuotaRequested event) {
        requestId = event.requestId();
        projectId = event.projectId();
        service = event.service();
        userId = event.userId();
        resources = event.resources();
        requestedBy = event.requestedBy();
        status = QuotaRequestStatus.PENDING;
    }

    @EventSourcingHandler
    void on(QuotaRequestForwarded event) {
        status = QuotaRequestStatus.FORWARDED;
    }

    @EventSourcingHandler
    void on(QuotaRequestApproved event) {
        status = QuotaRequestStatus.APPROVED;
    }

    @EventSourcingHandler
    void on(QuotaRequestRejected event) {
        status = QuotaRequestStatus.REJECTED;
    }

    @EventSourcingHandler
    void on(QuotaRequestCancelled event) {
        status = QuotaRequestStatus.CANCELLED;
    }
}
