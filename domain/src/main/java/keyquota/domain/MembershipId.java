package keyquota.domain;

/**
 * A membership is identified by its project and user. Neither may contain '/', so the joined form is unique
 * and never equal to a project id.
 */
public final class MembershipId {

    private MembershipId() {
    }

    public static String of(String projectId, String userId) {
        return projectId + "/" + userId;
    }
}
