package keyquota.api;

/**
 * Free text (names) may hold anything PostgreSQL can store, which is everything but NUL. The shapes of ids are the
 * domain's: {@link keyquota.domain.ProjectId}, {@link keyquota.domain.UserId}.
 */
public final class FreeText {

    public static final String PATTERN = "[^\\x00]*";
    public static final String RULE = "must not contain NUL characters";
    /** The longest name of a project or a key, as the API's bodies limit it too. */
    public static final int MAX_NAME_LENGTH = 100;

    private FreeText() {
    }
}
