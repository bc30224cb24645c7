package keyquota.domain;

import java.util.regex.Pattern;

/**
 * The shape of a project id, as the contract fixes it. It holds no '/' and no ':', which keeps the ids built
 * from it ({@link MembershipId}, {@code QuotaId}, {@code ServiceKeyId}) from ever meeting one another.
 */
public final class ProjectId {

    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{1,63}";
    public static final String RULE = "must be 2-64 of A-Z a-z 0-9 _ -, starting with a letter or digit";

    private static final Pattern SHAPE = Pattern.compile(PATTERN);

    private ProjectId() {
    }

    public static void ensureValid(String projectId) {
        if (projectId == null || !SHAPE.matcher(projectId).matches()) {
            throw new InvalidValue("projectId", RULE);
        }
    }
}
