package keyquota.domain.quota;

/** Why usage was given back: the cloud service released it, or a reconcile found it leaked. */
public enum ReleaseReason {
    RELEASED,
    RECONCILED
}
