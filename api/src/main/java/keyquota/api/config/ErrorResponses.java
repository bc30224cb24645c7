package keyquota.api.config;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import keyquota.api.Refusals;
import keyquota.domain.ErrorCode;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every API operation's error answers, as problem details with an example per code: those any operation can give,
 * those its {@link Refusals} name, and 413/415 where it takes a body. The 429 and the rate limit headers depend on
 * the path, so {@link OpenApiConfiguration} adds them.
 */
final class ErrorResponses implements OperationCustomizer {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    /** An example detail per code, as the service words it (some name the values at fault). */
    private static final Map<String, String> DETAILS = Map.ofEntries(
            Map.entry("VALIDATION_FAILED", "The request is not valid."),
            Map.entry("UNAUTHENTICATED", "A valid x-api-key header is required."),
            Map.entry("FORBIDDEN", "Not allowed."),
            Map.entry("PROJECT_NOT_FOUND", "Project not found."),
            Map.entry("MEMBER_NOT_FOUND", "Member not found."),
            Map.entry("KEY_NOT_FOUND", "Key not found."),
            Map.entry("SERVICE_NOT_FOUND", "Unknown service XCS."),
            Map.entry("ALLOCATION_NOT_FOUND", "Allocation job-4711 not found."),
            Map.entry("NOT_FOUND", "Quota request not found."),
            Map.entry("PROJECT_EXISTS", "Project GOV108001 already exists."),
            Map.entry("KEY_LIMIT_REACHED", "A member may hold at most 5 active keys in a project."),
            Map.entry("KEY_EXPIRED", "Key is expired."),
            Map.entry("KEY_DISABLED", "Key is disabled."),
            Map.entry("KEY_ROLLED", "Key was rolled already."),
            Map.entry("EXPIRY_TOO_FAR", "A key may not expire more than 730 days from now."),
            Map.entry("QUOTA_EXCEEDED", "The member quota of gpu has 1 available; 2 was requested."),
            Map.entry("QUOTA_BELOW_USAGE",
                    "The member quota of gpu would be 1, below the usage of 2; use force=true to set it anyway."),
            Map.entry("QUOTA_ABOVE_PROJECT", "A member quota of gpu may be at most the project quota of 8."),
            Map.entry("IDEMPOTENCY_CONFLICT", "Allocation job-4711 was made before with another body."),
            Map.entry("REQUEST_CLOSED", "The request is APPROVED."),
            Map.entry("CONCURRENT_MODIFICATION",
                    "Another request changed the same data at the same moment; try again."),
            Map.entry("NOT_ACCEPTABLE",
                    "Accept must be well-formed and allow application/json or application/problem+json."),
            Map.entry("CONTENT_TOO_LARGE", "The request body is too large."),
            Map.entry("UNSUPPORTED_MEDIA_TYPE", "Content-Type 'text/plain' is not supported."),
            Map.entry("RATE_LIMITED", "This key used its request budget; try again in 1 s."),
            Map.entry("UNAVAILABLE", "The database cannot be reached; nothing was changed."));

    /** The members some codes add to the problem, as the service sends them. */
    private static final Map<String, Map<String, Object>> EXTRAS = Map.of(
            "VALIDATION_FAILED", Map.of("errors", List.of(Map.of("field", "name",
                    "message", "size must be between 0 and 100"))),
            "QUOTA_EXCEEDED", Map.of("scope", "MEMBER", "resource", "gpu", "requested", 2, "available", 1),
            "QUOTA_BELOW_USAGE", Map.of("resource", "gpu", "acceptable",
                    Map.of("gpu", Map.of("min", 2, "max", 8))),
            "QUOTA_ABOVE_PROJECT", Map.of("resource", "gpu", "projectQuota", 8, "acceptable",
                    Map.of("gpu", Map.of("min", 0, "max", 8))),
            "REQUEST_CLOSED", Map.of("requestStatus", "APPROVED"));

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        String controller = handler.getBeanType().getSimpleName().replace("Controller", "");
        String method = handler.getMethod().getName();
        // Handler names repeat across controllers (create, list, get): springdoc would number them by scan order.
        operation.setOperationId(Character.toLowerCase(controller.charAt(0)) + controller.substring(1)
                + Character.toUpperCase(method.charAt(0)) + method.substring(1));

        Refusals refusals = handler.getMethodAnnotation(Refusals.class);
        List<ErrorCode> codes = refusals == null ? List.of() : Arrays.asList(refusals.value());
        boolean changes = !handler.hasMethodAnnotation(GetMapping.class) && (refusals == null || refusals.changes());
        boolean takesBody = Arrays.stream(handler.getMethodParameters())
                .anyMatch(parameter -> parameter.hasParameterAnnotation(RequestBody.class));

        Map<HttpStatus, List<String>> byStatus = new LinkedHashMap<>();
        byStatus.put(HttpStatus.BAD_REQUEST, List.of("VALIDATION_FAILED"));
        byStatus.put(HttpStatus.UNAUTHORIZED, List.of("UNAUTHENTICATED", "KEY_EXPIRED", "KEY_DISABLED"));
        for (ErrorCode code : codes) {
            byStatus.computeIfAbsent(statusOf(code), status -> new ArrayList<>()).add(code.name());
        }
        if (changes) {
            byStatus.computeIfAbsent(HttpStatus.CONFLICT, status -> new ArrayList<>()).add("CONCURRENT_MODIFICATION");
        }
        byStatus.put(HttpStatus.NOT_ACCEPTABLE, List.of("NOT_ACCEPTABLE"));
        if (takesBody) {
            byStatus.put(HttpStatus.CONTENT_TOO_LARGE, List.of("CONTENT_TOO_LARGE"));
            byStatus.put(HttpStatus.UNSUPPORTED_MEDIA_TYPE, List.of("UNSUPPORTED_MEDIA_TYPE"));
        }
        byStatus.put(HttpStatus.SERVICE_UNAVAILABLE, List.of("UNAVAILABLE"));

        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        byStatus.forEach((status, statusCodes) ->
                responses.addApiResponse(Integer.toString(status.value()), problem(status, statusCodes)));
        operation.setResponses(responses);
        return operation;
    }

    static ApiResponse problem(HttpStatus status, List<String> codes) {
        MediaType media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM));
        for (String code : codes) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("type", "about:blank");
            value.put("title", status.getReasonPhrase());
            value.put("status", status.value());
            value.put("detail", DETAILS.get(code));
            value.put("code", code);
            value.putAll(EXTRAS.getOrDefault(code, Map.of()));
            media.addExamples(code, new Example().value(value));
        }
        return new ApiResponse().description(description(status, codes))
                .content(new Content().addMediaType(PROBLEM_JSON, media));
    }

    private static String description(HttpStatus status, List<String> codes) {
        return status.getReasonPhrase() + ": " + String.join(", ", codes.stream().map(code -> "`" + code + "`")
                .toList());
    }

    private static HttpStatus statusOf(ErrorCode code) {
        return switch (code.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
        };
    }
}
