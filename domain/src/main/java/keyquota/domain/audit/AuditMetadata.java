package keyquota.domain.audit;

/**
 * The metadata every event carries about who caused it: copied from the command that produced it, which the
 * API stamps with the caller and the request's correlation id.
 */
public final class AuditMetadata {

    public static final String CORRELATION_ID = "correlationId";
    /** OPERATOR, MEMBER, SERVICE, or SYSTEM for what the service does by itself (such as its first start). */
    public static final String ACTOR_TYPE = "actorType";
    public static final String ACTOR_USER_ID = "actorUserId";
    public static final String ACTOR_KEY_ID = "actorKeyId";

    public static final String SYSTEM = "SYSTEM";

    private AuditMetadata() {
    }
}
