package keyquota.domain.quotarequest;

/**
 * Who takes a step on a quota request: the operator, or a project member.
 *
 * @param operator whether it is the platform operator
 * @param userId   the member, or null for the operator
 */
public record Decider(boolean operator, String userId) {

    public static Decider theOperator() {
        return new Decider(true, null);
    }

    public static Decider member(String userId) {
        return new Decider(false, userId);
    }
}
