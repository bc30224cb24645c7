package keyquota.domain.quota;

/** The values a quota may take without force: from min to max, where a max of -1 means no upper bound. */
public record Range(long min, long max) {
}
