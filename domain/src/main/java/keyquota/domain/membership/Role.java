package keyquota.domain.membership;

public enum Role {
    TENANT_ADMIN,
    TENANT_USER
}
