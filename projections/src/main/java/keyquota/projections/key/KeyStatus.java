package keyquota.projections.key;

public enum KeyStatus {
    ACTIVE,
    EXPIRED,
    DISABLED
}
