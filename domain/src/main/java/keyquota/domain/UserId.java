package keyquota.domain;

import java.util.regex.Pattern;

/**
 * The shape of a user id, as the contract fixes it. It holds no '/' and no ':', which keeps
 * {@link MembershipId} unique.
 */
public final class UserId {

    public static final String PATTERN = "[A-Za-z0-9._@-]{1,64}";
    public static final String RULE = "must be 1-64 of A-Z a-z 0-9 . _ @ -";

    private static final Pattern SHAPE = Pattern.compile(PATTERN);

    private UserId() {
    }

    public static void ensureValid(String userId) {
        if (userId == null || !SHAPE.matcher(userId).matches()) {
            throw new InvalidValue("userId", RULE);
        }
    }
}
