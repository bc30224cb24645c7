package keyquota.domain;

public enum Role {
    TENANT_ADMIN,
    TENANT_USER
}
