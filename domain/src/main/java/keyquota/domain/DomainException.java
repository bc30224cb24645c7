package keyquota.domain;

import java.util.Map;

/**
 * A command that the rules reject. It changes nothing; the code tells the caller why, and the details, if any,
 * what the caller needs to do better (for example how much quota is still available).
 */
public class DomainException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    public DomainException(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public DomainException(ErrorCode code, String detail, Map<String, Object> details) {
        super(detail);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
