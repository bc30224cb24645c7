package keyquota.api;

/** The shapes of identifiers the contract fixes. */
public final class Identifiers {

    public static final String PROJECT_ID = "[A-Za-z0-9][A-Za-z0-9_-]{1,63}";
    public static final String PROJECT_ID_RULE =
            "must be 2-64 of A-Z a-z 0-9 _ -, starting with a letter or digit";
    public static final String USER_ID = "[A-Za-z0-9._@-]{1,64}";
    public static final String USER_ID_RULE = "must be 1-64 of A-Z a-z 0-9 . _ @ -";
    /** Free text may hold anything PostgreSQL can store, which is everything but NUL. */
    public static final String TEXT = "[^\\x00]*";
    public static final String TEXT_RULE = "must not contain NUL characters";

    private Identifiers() {
    }
}
