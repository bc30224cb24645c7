package keyquota.domain.quota;

import keyquota.domain.InvalidValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * When usage alerts fire: percentages of a finite quota. Usage that reaches or passes one from below fires it;
 * it fires again only after usage fell below it, which needs no memory of its own: a threshold fires when the
 * usage before an allocation was below it and the usage after is not.
 */
public record AlertThresholds(List<Integer> percentages) {

    public static final AlertThresholds DEFAULT = new AlertThresholds(List.of(80, 100));
    public static final String FIELD = "thresholds";
    public static final int MOST = 5;

    /** 1–{@value #MOST} distinct whole percentages from 1 to 100, kept in ascending order. */
    public static AlertThresholds of(List<Integer> percentages) {
        if (percentages == null || percentages.isEmpty() || percentages.size() > MOST) {
            throw new InvalidValue(FIELD, "must hold 1 to " + MOST + " percentages");
        }
        if (percentages.stream().anyMatch(p -> p == null || p < 1 || p > 100)) {
            throw new InvalidValue(FIELD, "must be whole percentages from 1 to 100");
        }
        if (new HashSet<>(percentages).size() != percentages.size()) {
            throw new InvalidValue(FIELD, "must be distinct");
        }
        return new AlertThresholds(percentages.stream().sorted().toList());
    }

    /** The thresholds that usage going from {@code before} to {@code after} reaches from below. */
    public List<Integer> crossed(long quota, long before, long after) {
        List<Integer> crossed = new ArrayList<>();
        if (quota == QuotaPolicy.UNLIMITED || quota == 0) {
            return crossed;
        }
        for (int percentage : percentages) {
            if (!reaches(before, percentage, quota) && reaches(after, percentage, quota)) {
                crossed.add(percentage);
            }
        }
        return crossed;
    }

    /** usage ≥ percentage % of quota, exactly: both sides as 128-bit products, so no quota overflows. */
    private static boolean reaches(long usage, int percentage, long quota) {
        long high = Math.multiplyHigh(usage, 100);
        long thresholdHigh = Math.multiplyHigh(percentage, quota);
        return high != thresholdHigh ? high > thresholdHigh
                : Long.compareUnsigned(usage * 100, (long) percentage * quota) >= 0;
    }
}
