package keyquota.projections.audit;

import keyquota.domain.key.KeyCreated;
import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyDisabled;
import keyquota.domain.key.KeyEnabled;
import keyquota.domain.key.KeyExtended;
import keyquota.domain.key.KeyRenamed;
import keyquota.domain.key.KeyRolled;
import keyquota.domain.membership.MemberEmailChanged;
import keyquota.domain.membership.MemberJoined;
import keyquota.domain.membership.MemberRemoved;
import keyquota.domain.membership.MemberRoleChanged;
import keyquota.domain.operator.OperatorKeyConfigured;
import keyquota.domain.project.ProjectCreated;
import keyquota.domain.quota.AlertThresholdsSet;
import keyquota.domain.quota.MemberQuotaSet;
import keyquota.domain.quota.ProjectQuotaSet;
import keyquota.domain.quota.UsageAllocated;
import keyquota.domain.quota.UsageReleased;
import keyquota.domain.quotarequest.QuotaRequestApproved;
import keyquota.domain.quotarequest.QuotaRequestCancelled;
import keyquota.domain.quotarequest.QuotaRequestForwarded;
import keyquota.domain.quotarequest.QuotaRequestRejected;
import keyquota.domain.quotarequest.QuotaRequested;
import keyquota.domain.servicekey.ServiceKeyCreated;
import keyquota.domain.servicekey.ServiceKeyDeleted;
import keyquota.domain.webhook.WebhookCreated;
import keyquota.domain.webhook.WebhookDeleted;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What an event changed, for the audit log: the project, the member and key it concerns, a subject naming the
 * thing changed, and the details (old and new values). Key hashes are left out: the display form says enough.
 *
 * @param userId the member the change concerns (a key's owner, the member joining, the allocation's user)
 */
record AuditSubject(String projectId, String userId, UUID keyId, String subject, Map<String, Object> details) {

    static AuditSubject of(Object event) {
        if (event instanceof ProjectCreated e) {
            return new AuditSubject(e.projectId(), null, null, "project/" + e.projectId(),
                    describe("name", e.name()));
        }
        if (event instanceof MemberJoined e) {
            return member(e.projectId(), e.userId(), describe("role", e.role(), "email", e.email()));
        }
        if (event instanceof MemberEmailChanged e) {
            return member(e.projectId(), e.userId(), describe("oldEmail", e.oldEmail(), "newEmail", e.newEmail()));
        }
        if (event instanceof MemberRoleChanged e) {
            return member(e.projectId(), e.userId(), describe("oldRole", e.oldRole(), "newRole", e.newRole()));
        }
        if (event instanceof MemberRemoved e) {
            return member(e.projectId(), e.userId(), describe("role", e.role()));
        }
        if (event instanceof KeyCreated e) {
            return key(e.projectId(), e.userId(), e.keyId(), describe("name", e.name(), "role", e.role(),
                    "maskedKey", e.maskedKey(), "expiresAt", e.expiresAt(), "services", e.services(),
                    "allowedCidrs", e.allowedCidrs()));
        }
        if (event instanceof KeyRenamed e) {
            return key(e.projectId(), e.userId(), e.keyId(), describe("oldName", e.oldName(), "newName", e.newName()));
        }
        if (event instanceof KeyDisabled e) {
            return key(e.projectId(), e.userId(), e.keyId(), describe());
        }
        if (event instanceof KeyEnabled e) {
            return key(e.projectId(), e.userId(), e.keyId(), describe());
        }
        if (event instanceof KeyRolled e) {
            return key(e.projectId(), e.userId(), e.keyId(), describe("replacedBy", e.replacedBy(),
                    "oldExpiresAt", e.oldExpiresAt(), "newExpiresAt", e.newExpiresAt()));
        }
        if (event instanceof KeyExtended e) {
            return key(e.projectId(), e.userId(), e.keyId(),
                    describe("oldExpiresAt", e.oldExpiresAt(), "newExpiresAt", e.newExpiresAt()));
        }
        if (event instanceof KeyDeleted e) {
            return key(e.projectId(), e.userId(), e.keyId(), describe("reason", e.reason()));
        }
        if (event instanceof ServiceKeyCreated e) {
            return new AuditSubject(null, null, e.keyId(), "service-key/" + e.keyId(),
                    describe("name", e.name(), "service", e.service(), "maskedKey", e.maskedKey()));
        }
        if (event instanceof ServiceKeyDeleted e) {
            return new AuditSubject(null, null, e.keyId(), "service-key/" + e.keyId(), describe());
        }
        if (event instanceof OperatorKeyConfigured e) {
            return new AuditSubject(null, null, e.keyId(), "operator-key/" + e.keyId(),
                    describe("maskedKey", e.maskedKey(), "replacedKeyId", e.replacedKeyId()));
        }
        if (event instanceof WebhookCreated e) {
            return new AuditSubject(e.projectId(), null, null, "webhook/" + e.webhookId(),
                    describe("url", e.url(), "types", e.types()));
        }
        if (event instanceof WebhookDeleted e) {
            return new AuditSubject(e.projectId(), null, null, "webhook/" + e.webhookId(), describe());
        }
        if (event instanceof ProjectQuotaSet e) {
            return new AuditSubject(e.projectId(), null, null, "quota/" + e.service(), describe("service",
                    e.service(), "oldQuota", e.oldQuota(), "newQuota", e.newQuota(), "forced", e.forced()));
        }
        if (event instanceof MemberQuotaSet e) {
            return new AuditSubject(e.projectId(), e.userId(), null, "quota/" + e.service() + "/member/" + e.userId(),
                    describe("service", e.service(), "oldQuota", e.oldQuota(), "newQuota", e.newQuota(),
                            "forced", e.forced()));
        }
        if (event instanceof UsageAllocated e) {
            AuditSubject allocated = allocation(e.projectId(), e.service(), e.allocationId(), e.userId(),
                    e.resources(), e.memberUsage(), e.projectUsage());
            if (!e.thresholdsCrossed().isEmpty()) {
                allocated.details().put("thresholdsCrossed", e.thresholdsCrossed());
            }
            return allocated;
        }
        if (event instanceof AlertThresholdsSet e) {
            return new AuditSubject(e.projectId(), null, null, "quota/" + e.service() + "/alerts",
                    describe("service", e.service(), "oldThresholds", e.oldThresholds(),
                            "newThresholds", e.newThresholds()));
        }
        if (event instanceof UsageReleased e) {
            AuditSubject released = allocation(e.projectId(), e.service(), e.allocationId(), e.userId(),
                    e.resources(), e.memberUsage(), e.projectUsage());
            released.details().put("reason", e.reason());
            return released;
        }
        if (event instanceof QuotaRequested e) {
            return quotaRequest(e.projectId(), e.userId(), e.requestId(), describe("service", e.service(),
                    "resources", e.resources(), "reason", e.reason(), "requestedBy", e.requestedBy()));
        }
        if (event instanceof QuotaRequestForwarded e) {
            return quotaRequest(e.projectId(), e.userId(), e.requestId(), describe("service", e.service(),
                    "reason", e.reason()));
        }
        if (event instanceof QuotaRequestApproved e) {
            return quotaRequest(e.projectId(), e.userId(), e.requestId(), describe("service", e.service(),
                    "resources", e.resources()));
        }
        if (event instanceof QuotaRequestRejected e) {
            return quotaRequest(e.projectId(), e.userId(), e.requestId(), describe("service", e.service(),
                    "reason", e.reason()));
        }
        if (event instanceof QuotaRequestCancelled e) {
            return quotaRequest(e.projectId(), e.userId(), e.requestId(), describe("service", e.service()));
        }
        throw new IllegalArgumentException("No audit description for " + event.getClass().getName());
    }

    private static AuditSubject member(String projectId, String userId, Map<String, Object> details) {
        return new AuditSubject(projectId, userId, null, "member/" + userId, details);
    }

    private static AuditSubject key(String projectId, String userId, UUID keyId, Map<String, Object> details) {
        details.put("userId", userId);
        return new AuditSubject(projectId, userId, keyId, "key/" + keyId, details);
    }

    /** The member a quota request is for is the member it concerns; who took the step is the entry's actor. */
    private static AuditSubject quotaRequest(String projectId, String userId, String requestId,
                                             Map<String, Object> details) {
        details.put("userId", userId);
        return new AuditSubject(projectId, userId, null, "quota-request/" + requestId, details);
    }

    private static AuditSubject allocation(String projectId, String service, String allocationId, String userId,
                                           Map<String, Long> resources, Map<String, Long> memberUsage,
                                           Map<String, Long> projectUsage) {
        return new AuditSubject(projectId, userId, null, "allocation/" + service + "/" + allocationId,
                describe("service", service, "allocationId", allocationId, "resources", resources,
                        "memberUsage", memberUsage, "projectUsage", projectUsage));
    }

    /** Names and values in turn; a null value is left out. */
    private static Map<String, Object> describe(Object... namesAndValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                details.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return details;
    }
}
