package keyquota.api.console.audit;

import keyquota.api.console.ConsoleTimes;
import keyquota.api.console.FormErrors.Message;
import keyquota.projections.audit.AuditEntry;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An audit entry as a page says it: what happened, by whom, to what, and each change as "old → new", every part
 * a message key with its arguments, so that it reads in the viewer's language. Values come from the entry's
 * details, which never hold a secret.
 */
@Component
class AuditWords {

    /** The entry types the log holds (one per event), in the order the type filter offers them. */
    static final List<String> TYPES = List.of("ProjectCreated", "MemberJoined", "MemberRoleChanged", "MemberEmailChanged", "MemberRemoved",
            "KeyCreated", "KeyExtended", "KeyRenamed", "KeyDisabled", "KeyEnabled", "KeyRolled", "KeyDeleted",
            "ServiceKeyCreated", "ServiceKeyDeleted", "WebhookCreated", "WebhookDeleted",
            "OperatorKeyConfigured", "ProjectQuotaSet", "MemberQuotaSet", "AlertThresholdsSet", "UsageAllocated",
            "UsageReleased", "QuotaRequested", "QuotaRequestForwarded", "QuotaRequestApproved", "QuotaRequestRejected",
            "QuotaRequestCancelled");

    private static final long UNLIMITED = -1;

    private final JsonMapper json;
    private final ConsoleTimes times;

    AuditWords(JsonMapper json, ConsoleTimes times) {
        this.json = json;
        this.times = times;
    }

    /**
     * @param actor   who made the change: a message key and its arguments
     * @param changes what changed, one line each
     */
    public record Entry(AuditEntry entry, Message actor, List<Message> changes) {

        public String typeKey() {
            return TYPES.contains(entry.type()) ? "audit.type." + entry.type() : "audit.type.other";
        }
    }

    Entry of(AuditEntry entry) {
        JsonNode details = json.readTree(entry.detailsJson());
        return new Entry(entry, actorOf(entry), changesOf(entry.type(), details));
    }

    private static Message actorOf(AuditEntry entry) {
        return switch (entry.actorType()) {
            case "MEMBER" -> new Message("audit.actor.member", new Object[]{entry.actorUserId()});
            case "OPERATOR" -> new Message("audit.actor.operator", new Object[0]);
            case "SERVICE" -> new Message("audit.actor.service", new Object[]{shortId(entry.actorKeyId())});
            default -> new Message("audit.actor.system", new Object[0]);
        };
    }

    private List<Message> changesOf(String type, JsonNode details) {
        List<Message> changes = new ArrayList<>();
        switch (type) {
            case "ProjectCreated" -> changes.add(line("audit.change.name", text(details, "name")));
            case "MemberJoined", "MemberRemoved" -> changes.add(line("audit.change.role", role(details, "role")));
            case "MemberRoleChanged" -> changes.add(line("audit.change.roleChanged", role(details, "oldRole"),
                    role(details, "newRole")));
            case "MemberEmailChanged" -> changes.add(line("audit.change.emailChanged", orDash(details, "oldEmail"),
                    orDash(details, "newEmail")));
            case "KeyCreated" -> {
                changes.add(line("audit.change.key", text(details, "maskedKey"), text(details, "userId")));
                changes.add(line("audit.change.expires", time(details, "expiresAt")));
            }
            case "KeyExtended" -> changes.add(line("audit.change.expiryChanged", time(details, "oldExpiresAt"),
                    time(details, "newExpiresAt")));
            case "KeyRenamed" -> changes.add(line("audit.change.nameChanged", orDash(details, "oldName"),
                    orDash(details, "newName")));
            case "KeyDisabled", "KeyEnabled" -> changes.add(line("audit.change." + type));
            case "KeyRolled" -> {
                changes.add(line("audit.change.rolledTo", text(details, "replacedBy")));
                changes.add(line("audit.change.expiryChanged", time(details, "oldExpiresAt"),
                        time(details, "newExpiresAt")));
            }
            case "KeyDeleted" -> changes.add(line("audit.reason." + text(details, "reason")));
            case "ServiceKeyCreated" -> changes.add(line("audit.change.serviceKey", text(details, "maskedKey"),
                    details.has("service") ? text(details, "service") : "-"));
            case "WebhookCreated" -> changes.add(line("audit.change.webhook", text(details, "url"),
                    details.has("types") ? types(details.path("types")) : new Message("audit.webhook.allTypes",
                            new Object[0])));
            case "OperatorKeyConfigured" -> changes.add(line("audit.change.key", text(details, "maskedKey"), "-"));
            case "ProjectQuotaSet", "MemberQuotaSet" -> quotaChanges(details, changes);
            case "AlertThresholdsSet" -> changes.add(line("audit.change.thresholds", text(details, "service"),
                    percentages(details.path("oldThresholds")), percentages(details.path("newThresholds"))));
            case "UsageAllocated", "UsageReleased" -> {
                changes.add(line("audit.change.allocation", text(details, "service"), text(details, "allocationId"),
                        amounts(details.path("resources"))));
                changes.add(line("audit.change.memberUsage", amounts(details.path("memberUsage"))));
                if (details.path("reason").asString("").equals("RECONCILED")) {
                    changes.add(line("audit.change.reconciled"));
                }
                details.path("thresholdsCrossed").forEach(crossed -> changes.add(line(
                        "audit.change.thresholdCrossed." + crossed.path("scope").asString(),
                        crossed.path("resource").asString(), crossed.path("threshold").asInt(),
                        crossed.path("usage").asLong(), crossed.path("quota").asLong())));
            }
            case "QuotaRequested" -> {
                changes.add(line("audit.change.quotaRequest", text(details, "service"), text(details, "userId"),
                        amounts(details.path("resources"))));
                changes.add(line("audit.change.reason", text(details, "reason")));
            }
            case "QuotaRequestApproved" -> changes.add(line("audit.change.quotaRequest", text(details, "service"),
                    text(details, "userId"), amounts(details.path("resources"))));
            case "QuotaRequestForwarded", "QuotaRequestRejected" ->
                    changes.add(line("audit.change.reason", orDash(details, "reason")));
            case "QuotaRequestCancelled" -> changes.add(line("audit.change.QuotaRequestCancelled"));
            default -> details.properties().forEach(field ->
                    changes.add(line("audit.change.field", field.getKey(), field.getValue().asString())));
        }
        return changes;
    }

    /** One line per resource whose quota changed, "gpu: 4 → 8"; a forced change says so. */
    private void quotaChanges(JsonNode details, List<Message> changes) {
        JsonNode old = details.path("oldQuota");
        JsonNode next = details.path("newQuota");
        Set<String> resources = new LinkedHashSet<>();
        old.properties().forEach(field -> resources.add(field.getKey()));
        next.properties().forEach(field -> resources.add(field.getKey()));
        for (String resource : resources) {
            if (!old.path(resource).equals(next.path(resource))) {
                changes.add(line("audit.change.quota", text(details, "service"), resource,
                        quota(old.path(resource)), quota(next.path(resource))));
            }
        }
        if (changes.isEmpty()) {
            changes.add(line("audit.change.quotaSame", text(details, "service")));
        }
        if (details.path("forced").asBoolean(false)) {
            changes.add(line("audit.change.forced"));
        }
    }

    private static Object quota(JsonNode amount) {
        return amount.isMissingNode() || amount.asLong() == UNLIMITED ? new Message("audit.unlimited", new Object[0])
                : amount.asLong();
    }

    private static String amounts(JsonNode resources) {
        List<String> parts = new ArrayList<>();
        resources.properties().forEach(field -> parts.add(field.getKey() + " " + field.getValue().asLong()));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String percentages(JsonNode thresholds) {
        List<String> parts = new ArrayList<>();
        thresholds.forEach(threshold -> parts.add(threshold.asInt() + "%"));
        return String.join(", ", parts);
    }

    private static String types(JsonNode types) {
        List<String> names = new ArrayList<>();
        types.forEach(type -> names.add(type.asString()));
        return String.join(", ", names);
    }

    private static Message line(String key, Object... args) {
        return new Message(key, args);
    }

    private static String text(JsonNode details, String field) {
        return details.path(field).asString("");
    }

    private static String orDash(JsonNode details, String field) {
        return details.has(field) ? text(details, field) : "-";
    }

    private static Message role(JsonNode details, String field) {
        return new Message("role." + text(details, field), new Object[0]);
    }

    private String time(JsonNode details, String field) {
        String value = text(details, field);
        return value.isEmpty() ? "-" : times.utc(Instant.parse(value));
    }

    private static String shortId(UUID keyId) {
        return keyId == null ? "-" : keyId.toString().substring(0, 8);
    }
}
