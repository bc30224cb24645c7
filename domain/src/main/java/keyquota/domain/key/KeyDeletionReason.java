package keyquota.domain.key;

public enum KeyDeletionReason {
    BY_OWNER,
    BY_TENANT_ADMIN,
    BY_OPERATOR,
    MEMBERSHIP_ENDED,
    ROLE_CHANGED
}
