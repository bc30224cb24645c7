package keyquota.domain;

/**
 * Why a command was rejected, in the words of the HTTP contract, and whether the subject was missing, in
 * conflict, or not the caller's to change.
 */
public enum ErrorCode {
    PROJECT_NOT_FOUND(Kind.NOT_FOUND),
    MEMBER_NOT_FOUND(Kind.NOT_FOUND),
    KEY_NOT_FOUND(Kind.NOT_FOUND),
    SERVICE_NOT_FOUND(Kind.NOT_FOUND),
    ALLOCATION_NOT_FOUND(Kind.NOT_FOUND),
    NOT_FOUND(Kind.NOT_FOUND),
    PROJECT_EXISTS(Kind.CONFLICT),
    KEY_LIMIT_REACHED(Kind.CONFLICT),
    KEY_EXPIRED(Kind.CONFLICT),
    KEY_DISABLED(Kind.CONFLICT),
    KEY_ROLLED(Kind.CONFLICT),
    EXPIRY_TOO_FAR(Kind.CONFLICT),
    QUOTA_EXCEEDED(Kind.CONFLICT),
    QUOTA_BELOW_USAGE(Kind.CONFLICT),
    QUOTA_ABOVE_PROJECT(Kind.CONFLICT),
    IDEMPOTENCY_CONFLICT(Kind.CONFLICT),
    REQUEST_CLOSED(Kind.CONFLICT),
    /** The caller may see the subject, but this rule of the subject's own state refuses them this step. */
    FORBIDDEN(Kind.FORBIDDEN);

    public enum Kind { NOT_FOUND, CONFLICT, FORBIDDEN }

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
