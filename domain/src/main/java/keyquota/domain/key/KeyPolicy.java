package keyquota.domain.key;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;

import java.time.Duration;
import java.time.Instant;

/**
 * The limits on member keys. They are settings of the service, so the aggregate receives them as a resource
 * rather than as constants.
 *
 * @param defaultValidDays       validity of a key created without one
 * @param maxValidDays           the largest validity, and the largest extension, in days
 * @param maxActiveKeysPerMember active (unexpired, undeleted) keys a member may hold in one project
 * @param maxExpiryDays          how far from now an extension may push a key's expiry
 */
public record KeyPolicy(int defaultValidDays, int maxValidDays, int maxActiveKeysPerMember, int maxExpiryDays) {

    public static final KeyPolicy DEFAULT = new KeyPolicy(30, 365, 5, 730);

    public KeyPolicy {
        if (maxValidDays < 1 || defaultValidDays < 1 || defaultValidDays > maxValidDays) {
            throw new IllegalArgumentException("default validity must lie in 1.." + maxValidDays + " days");
        }
        if (maxActiveKeysPerMember < 1 || maxExpiryDays < maxValidDays) {
            throw new IllegalArgumentException("key limit must be positive and max expiry at least max validity");
        }
    }

    public void checkValidDays(int validDays) {
        checkDays("validDays", validDays);
    }

    public void checkExtensionDays(int days) {
        checkDays("days", days);
    }

    public void ensureBelowKeyLimit(long activeKeys) {
        if (activeKeys >= maxActiveKeysPerMember) {
            throw new DomainException(ErrorCode.KEY_LIMIT_REACHED,
                    "A member may hold at most " + maxActiveKeysPerMember + " active keys in a project.");
        }
    }

    public void ensureExpiryWithinLimit(Instant newExpiry, Instant now) {
        if (newExpiry.isAfter(now.plus(Duration.ofDays(maxExpiryDays)))) {
            throw new DomainException(ErrorCode.EXPIRY_TOO_FAR,
                    "A key may not expire more than " + maxExpiryDays + " days from now.");
        }
    }

    public static void checkGraceHours(int graceHours) {
        if (graceHours < 0 || graceHours > RollKey.MAX_GRACE_HOURS) {
            throw new InvalidValue("graceHours", "must be between 0 and " + RollKey.MAX_GRACE_HOURS);
        }
    }

    private void checkDays(String field, int days) {
        if (days < 1 || days > maxValidDays) {
            throw new InvalidValue(field, "must be between 1 and " + maxValidDays);
        }
    }
}
