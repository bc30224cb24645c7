package keyquota.domain;

/**
 * A membership is identified by its project and user. Neither may contain '/', so the joined form is unique
 * and never equal to a project id.
 */
public final class MembershipId {

    private MembershipId() {
    }

    public static String of(String projectId, String userId) {
        return prefixOf(projectId) + userId;
    }

    /** What every membership id of the project, and no other aggregate's id, starts with. */
    public static String prefixOf(String projectId) {
        return projectId + "/";
    }
}
