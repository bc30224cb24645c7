package keyquota.domain.quota;

/** Whose quota an allocation would exceed. */
public enum Scope {
    MEMBER,
    PROJECT
}
