package keyquota.projections.key;

/** Whom a key authenticates: the platform operator, a project member, or a cloud service. */
public enum KeyType {
    OPERATOR,
    MEMBER,
    SERVICE
}
