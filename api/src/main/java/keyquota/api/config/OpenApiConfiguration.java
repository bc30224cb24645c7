package keyquota.api.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API description at /v3/api-docs. The choices the contract leaves open are described in the operations they
 * concern; the error answers come from {@link ErrorResponses}, the limits of values from {@link SchemaLimits}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String DESCRIPTION = """
            API key and resource quota management for a research cloud. Every request carries `x-api-key`. \
            Errors are RFC 9457 problem details with a `code`.

            Request bodies above 64 KiB are refused with 413 (`keyquota.max-body-bytes`; a reconcile's above 16 MiB, \
            `keyquota.max-reconcile-body-bytes`). Every answer carries \
            `X-Correlation-Id` (the caller's, when it is 1-64 of `A-Za-z0-9._-`, else a new one); the events the \
            request caused carry it too, and so do their audit entries (`correlationId`). Lists are pages: \
            `nextCursor` is null on the last page, and a cursor is opaque.
            """;

    private static final String RATE_LIMIT_HEADERS = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
    /** The one operation a limited key may call without drawing on its budget (RateLimitFilter). */
    private static final String UNLIMITED = "/api/v1/me";

    @Bean
    OpenAPI keyquotaOpenApi() {
        return new OpenAPI()
                .info(new Info().title("keyquota").version("1").description(DESCRIPTION))
                // relative, so that the description names whichever server serves it, and never a random test port
                .servers(List.of(new Server().url("/").description(
                                "The keyquota server that serves this description (local, staging or production alike)")
                        .extensions(Map.of("x-internal", false))))
                .components(new Components()
                        .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("x-api-key")
                                .description("A member, service or operator key: `kq_` and 38 base62 characters."))
                        .addSchemas(ErrorResponses.PROBLEM, problemSchema())
                        .addHeaders("RateLimit-Limit", rateLimitHeader(
                                "The size of the key's budget, in requests."))
                        .addHeaders("RateLimit-Remaining", rateLimitHeader(
                                "The requests left in the key's budget."))
                        .addHeaders("RateLimit-Reset", rateLimitHeader(
                                "Seconds until the key's budget is full again."))
                        .addHeaders("Retry-After", new Header().description(
                                        "Seconds until the key may send its next request.")
                                .schema(new IntegerSchema().format("int32").minimum(BigDecimal.ZERO)
                                        .maximum(BigDecimal.valueOf(3600)))))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }

    @Bean
    OperationCustomizer errorResponses() {
        return new ErrorResponses();
    }

    @Bean
    OpenApiCustomizer limitsAndRateLimits() {
        return description -> {
            SchemaLimits.apply(description);
            description.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (method == PathItem.HttpMethod.GET && path.equals(UNLIMITED)) {
                    return;
                }
                operation.getResponses().forEach((status, response) -> {
                    if (drawsOnTheBudget(status)) {
                        addRateLimitHeaders(response);
                    }
                });
                ApiResponse limited = ErrorResponses.problem(HttpStatus.TOO_MANY_REQUESTS, List.of("RATE_LIMITED"));
                addRateLimitHeaders(limited);
                limited.addHeaderObject("Retry-After", new Header().$ref("#/components/headers/Retry-After"));
                operation.getResponses().addApiResponse("429", limited);
            }));
        };
    }

    /**
     * The answers that carry the rate limit headers: those given after the key's budget was drawn on. A 401 is
     * given before (the key is unknown), a 406 before too (the Accept header is checked first).
     */
    private static boolean drawsOnTheBudget(String status) {
        return (status.startsWith("2") || status.startsWith("4")) && !status.equals("401") && !status.equals("406");
    }

    private static void addRateLimitHeaders(ApiResponse response) {
        for (String header : RATE_LIMIT_HEADERS.split(", ")) {
            response.addHeaderObject(header, new Header().$ref("#/components/headers/" + header));
        }
    }

    private static Header rateLimitHeader(String description) {
        return new Header().description(description + " Sent when the request drew on its key's budget: every "
                        + "request with a member or operator key but GET /api/v1/me; service keys are not limited.")
                .schema(new IntegerSchema().format("int64").minimum(BigDecimal.ZERO).maximum(
                        BigDecimal.valueOf(Long.MAX_VALUE)));
    }

    private static Schema<?> problemSchema() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().maxLength(64).format("uri-reference")
                .description("Always `about:blank`: the `code` tells the problems apart."));
        properties.put("title", new StringSchema().maxLength(64).description("The status's reason phrase."));
        properties.put("status", new IntegerSchema().format("int32").minimum(BigDecimal.valueOf(400))
                .maximum(BigDecimal.valueOf(599)));
        properties.put("detail", new StringSchema().maxLength(255).description(
                "For people; it never repeats a value of the request, which might be a key secret."));
        properties.put("code", new StringSchema().maxLength(32).pattern("[A-Z_]+")
                .description("What went wrong, for programs."));
        properties.put("errors", new ArraySchema().maxItems(100).items(new ObjectSchema()
                        .addProperty("field", new StringSchema().maxLength(255))
                        .addProperty("message", new StringSchema().maxLength(255)))
                .description("`VALIDATION_FAILED`: the fields at fault, each with what is wrong with it."));
        properties.put("scope", new StringSchema()._enum(List.of("MEMBER", "PROJECT"))
                .description("`QUOTA_EXCEEDED`: the quota that would be exceeded."));
        properties.put("resource", new StringSchema().maxLength(64).pattern("[a-z_]+")
                .description("`QUOTA_EXCEEDED`, `QUOTA_BELOW_USAGE`, `QUOTA_ABOVE_PROJECT`: the resource at fault."));
        properties.put("requested", new IntegerSchema().format("int64").minimum(BigDecimal.ZERO)
                .maximum(BigDecimal.valueOf(Long.MAX_VALUE)).description("`QUOTA_EXCEEDED`: the amount asked for."));
        properties.put("available", new IntegerSchema().format("int64").minimum(BigDecimal.ZERO)
                .maximum(BigDecimal.valueOf(Long.MAX_VALUE)).description("`QUOTA_EXCEEDED`: the amount left."));
        properties.put("projectQuota", new IntegerSchema().format("int64").minimum(BigDecimal.valueOf(-1))
                .maximum(BigDecimal.valueOf(Long.MAX_VALUE))
                .description("`QUOTA_ABOVE_PROJECT`: the project quota of the resource."));
        properties.put("acceptable", new ObjectSchema().maxProperties(4).description(
                        "`QUOTA_BELOW_USAGE`, `QUOTA_ABOVE_PROJECT` (and a dry run's 409): per resource, the values "
                                + "the quota may take; `max: -1` means no upper bound.")
                .additionalProperties(new ObjectSchema()
                        .addProperty("min", new IntegerSchema().format("int64").minimum(BigDecimal.valueOf(-1))
                                .maximum(BigDecimal.valueOf(Long.MAX_VALUE)))
                        .addProperty("max", new IntegerSchema().format("int64").minimum(BigDecimal.valueOf(-1))
                                .maximum(BigDecimal.valueOf(Long.MAX_VALUE)))));
        properties.put("requestStatus", new StringSchema()
                ._enum(List.of("PENDING", "FORWARDED", "APPROVED", "REJECTED", "CANCELLED"))
                .description("`REQUEST_CLOSED`: the status the request is in."));
        return new ObjectSchema().description("RFC 9457 problem details with keyquota's `code`. There is no "
                        + "`instance`: it would repeat the request path, which might hold a key secret.")
                .properties(properties).required(List.of("type", "title", "status", "detail", "code"));
    }
}
