package keyquota.application.notification;

import keyquota.application.auth.Access;
import keyquota.application.auth.Forbidden;
import keyquota.application.auth.Principal;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.webhook.CreateWebhook;
import keyquota.domain.webhook.DeleteWebhook;
import keyquota.projections.notification.Webhook;
import keyquota.projections.notification.WebhookDelivery;
import keyquota.projections.notification.WebhookStore;
import keyquota.projections.project.ProjectProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Webhooks: the operator's for any project or for all, a tenant admin's for their own project. A webhook the
 * caller may not manage looks as if it did not exist.
 * <p>
 * The webhook's row (with the signing secret, which no event may hold) and its event commit in one transaction:
 * the event puts its creation and deletion in the audit trail, the row is what deliveries are made from.
 */
@Service
public class Webhooks {

    /** The deliveries listed: the newest, enough to see how a webhook fares. */
    public static final int DELIVERIES_LISTED = 100;

    private static final String SECRET_PREFIX = "whsec_";

    private final CommandGateway commands;
    private final TransactionTemplate transaction;
    private final WebhookStore store;
    private final ProjectProjection projects;
    private final WebhookTargets targets;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Webhooks(CommandGateway commands, PlatformTransactionManager transactions, WebhookStore store,
                    ProjectProjection projects, WebhookTargets targets, Clock clock) {
        this.commands = commands;
        this.transaction = new TransactionTemplate(transactions);
        this.store = store;
        this.projects = projects;
        this.targets = targets;
        this.clock = clock;
    }

    /** A webhook and its secret, which is shown this once. */
    public record CreatedWebhook(Webhook webhook, String secret) {

        @Override
        public String toString() {
            return "CreatedWebhook[" + webhook + "]";
        }
    }

    /**
     * @param projectId the project, or null: a tenant admin's own, the operator's for every project
     * @param types     the notification types, or null for all
     */
    public CreatedWebhook create(Principal principal, String url, String projectId, List<String> types) {
        String project = projectId == null && principal instanceof Principal.Member member
                ? member.projectId() : projectId;
        ensureManages(principal, project);
        if (project != null && projects.find(project).isEmpty()) {
            throw new DomainException(ErrorCode.PROJECT_NOT_FOUND, "Project not found.");
        }
        targets.check(url);
        byte[] random32 = new byte[32];
        random.nextBytes(random32);
        String secret = SECRET_PREFIX + HexFormat.of().formatHex(random32);
        Webhook webhook = new Webhook(UUID.randomUUID(), url, project, known(types), clock.instant());
        transaction.executeWithoutResult(status -> {
            store.add(webhook, secret);
            commands.sendAndWait(new CreateWebhook(webhook.webhookId(), url, project, webhook.types()));
        });
        return new CreatedWebhook(webhook, secret);
    }

    public List<Webhook> list(Principal principal) {
        String project = ownProjectOf(principal);
        ensureManages(principal, project);
        return store.list(project);
    }

    public void delete(Principal principal, UUID webhookId) {
        UUID found = find(principal, webhookId).webhookId();
        transaction.executeWithoutResult(status -> {
            commands.sendAndWait(new DeleteWebhook(found));
            store.delete(found);
        });
    }

    /** The newest {@value #DELIVERIES_LISTED}, newest first. */
    public List<WebhookDelivery> deliveries(Principal principal, UUID webhookId) {
        return store.deliveries(find(principal, webhookId).webhookId(), DELIVERIES_LISTED);
    }

    private Webhook find(Principal principal, UUID webhookId) {
        String project = ownProjectOf(principal);
        ensureManages(principal, project);
        return store.find(webhookId)
                .filter(webhook -> project == null || project.equals(webhook.projectId()))
                .orElseThrow(() -> new DomainException(ErrorCode.NOT_FOUND, "Webhook not found."));
    }

    /** A member's own project; null for the operator, who manages every webhook. */
    private static String ownProjectOf(Principal principal) {
        return principal instanceof Principal.Member member ? member.projectId() : null;
    }

    /** The operator, for any project or all (null); a tenant admin, for their own project. */
    private static void ensureManages(Principal principal, String projectId) {
        if (principal instanceof Principal.Operator) {
            return;
        }
        if (!(principal instanceof Principal.Member)) {
            throw new Forbidden("Only tenant admins and the operator manage webhooks.");
        }
        Access.ensureProjectAdmin(principal, projectId);
    }

    private static List<String> known(List<String> types) {
        if (types == null) {
            return null;
        }
        if (types.isEmpty()) {
            throw new InvalidValue("types", "must name at least one notification type, or be left out for all");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String type : types) {
            if (type == null || Arrays.stream(NotificationType.values()).noneMatch(t -> t.name().equals(type))) {
                throw new InvalidValue("types", "holds a value that is not a notification type");
            }
            distinct.add(type);
        }
        return List.copyOf(distinct);
    }
}
