package keyquota.api.console;

/** What a console form's field holds, as the use cases take it: a blank field is no value. */
public final class FormValues {

    private FormValues() {
    }

    /** The value as typed, or null when the field was left blank. */
    public static String blankToNull(String typed) {
        return typed == null || typed.isBlank() ? null : typed;
    }

    /** The value without surrounding space, or null when the field was left blank. */
    public static String strippedOrNull(String typed) {
        return typed == null || typed.isBlank() ? null : typed.strip();
    }
}
