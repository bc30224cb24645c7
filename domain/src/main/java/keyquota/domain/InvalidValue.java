package keyquota.domain;

/** A command value outside what the rules allow, such as a validity of 0 days. */
public class InvalidValue extends RuntimeException {

    private final String field;

    public InvalidValue(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
