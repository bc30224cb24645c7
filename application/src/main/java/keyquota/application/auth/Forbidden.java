package keyquota.application.auth;

/** The caller may see the resource but not do this to it. */
public class Forbidden extends RuntimeException {

    public Forbidden(String detail) {
        super(detail);
    }
}
