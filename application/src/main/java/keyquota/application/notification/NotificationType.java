package keyquota.application.notification;

/** What a notification is about, in the contract's words. */
public enum NotificationType {
    KEY_EXPIRING,
    KEY_EXPIRED,
    KEY_DELETED,
    USAGE_THRESHOLD,
    QUOTA_REQUEST
}
