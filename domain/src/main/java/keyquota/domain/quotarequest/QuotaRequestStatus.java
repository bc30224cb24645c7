package keyquota.domain.quotarequest;

/** Where a quota request stands: open while PENDING or FORWARDED, closed once decided or cancelled. */
public enum QuotaRequestStatus {
    PENDING,
    FORWARDED,
    APPROVED,
    REJECTED,
    CANCELLED;

    public boolean isOpen() {
        return this == PENDING || this == FORWARDED;
    }
}
