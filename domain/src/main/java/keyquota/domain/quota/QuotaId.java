package keyquota.domain.quota;

/** One quota aggregate per project and service; ':' appears in no project id, so the id is unique. */
public final class QuotaId {

    private QuotaId() {
    }

    public static String of(String projectId, String service) {
        return projectId + ":" + service;
    }
}
