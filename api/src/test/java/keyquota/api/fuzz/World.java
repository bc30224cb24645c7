package keyquota.api.fuzz;

import java.util.List;

/**
 * What the fuzz's requests refer to, made through the API before it starts. Principals act; victims are what
 * requests act on (members that may be removed, keys that may be deleted), so that the principals' keys stay
 * valid for the whole run.
 *
 * @param home          a project with members of both roles, quotas and an allocation
 * @param other         a second project, with a tenant admin of its own
 * @param principals    the callers whose keys authenticate: the operator first
 * @param impostors     callers that must not get in: no key, malformed, unknown, deleted and orphaned keys
 * @param memberIds     the members of home that act (never removed nor given another role by the fuzz)
 * @param victimIds     members of home the fuzz may remove or change
 * @param keyIds        keys (member and service keys) the fuzz may extend or delete
 * @param allocationId  an allocation of home's CCS quota
 * @param requestIds    quota requests in home, open when the run starts, that the fuzz may decide or cancel
 * @param unknownKey    a well-formed secret of no key, for bodies that take a secret
 */
record World(String home, String other, List<Caller> principals, List<Caller> impostors, List<String> memberIds,
             List<String> victimIds, List<String> keyIds, String allocationId, List<String> requestIds,
             String unknownKey) {

    /** The read models that can be replayed. */
    static final List<String> READ_MODELS = List.of("projects", "members", "keys", "quotas", "usage_history",
            "quota_requests", "audit");

    /** Who sends a request: the {@code x-api-key} values it sends (none, one, or the header repeated). */
    record Caller(String label, List<String> keys) {

        static Caller of(String label, String... keys) {
            return new Caller(label, List.of(keys));
        }

        @Override
        public String toString() {
            return label;
        }
    }

    Caller operator() {
        return principals.get(0);
    }
}
