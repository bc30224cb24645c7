package keyquota.api.error;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9457 problem details with the machine-readable {@code code} every keyquota error carries. */
public final class Problems {

    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        return withCode(problem, code);
    }

    /** Adds the code, and names the type, which RFC 9457 lets a client assume but the contract shows. */
    public static ProblemDetail withCode(ProblemDetail problem, String code) {
        if (problem.getType() == null) {
            problem.setType(ABOUT_BLANK);
        }
        problem.setProperty("code", code);
        return problem;
    }

    /** 400 VALIDATION_FAILED with the fields at fault. */
    public static ProblemDetail invalid(List<FieldError> errors) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, VALIDATION_FAILED, "The request is not valid.");
        problem.setProperty("errors", errors);
        return problem;
    }

    public static ProblemDetail invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    /** A 400 the web server or Spring gave before any field was read: the contract's one 400 code all the same. */
    public static ProblemDetail malformedRequest() {
        return invalid(MALFORMED_FIELD, MALFORMED_MESSAGE);
    }

    static final String MALFORMED_FIELD = "request";
    static final String MALFORMED_MESSAGE = "is malformed (its path, query or headers)";

    /** 503 UNAVAILABLE: the database cannot be reached, and so nothing was changed. */
    public static ProblemDetail unavailable() {
        return of(HttpStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE",
                "The database cannot be reached; nothing was changed.");
    }

    public static ProblemDetail tooLarge(String detail) {
        return of(HttpStatus.CONTENT_TOO_LARGE, codeFor(HttpStatus.CONTENT_TOO_LARGE), detail);
    }

    /** The default code for a status that has no more specific one, such as METHOD_NOT_ALLOWED. */
    public static String codeFor(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "ERROR" : known.name();
    }

    public record FieldError(String field, String message) {
    }

    /** The problem as the JSON object it is written as, for writers outside Spring MVC's message converters. */
    static Map<String, Object> asMap(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }
}
