package keyquota.domain.quota;

/** @param repeated the allocation id was seen before: this is the first answer again, and nothing changed */
public record AllocationResult(Allocation allocation, boolean repeated) {
}
