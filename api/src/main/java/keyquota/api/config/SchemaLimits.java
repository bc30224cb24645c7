package keyquota.api.config;

import io.swagger.v3.core.util.AnnotationsUtils;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import keyquota.api.FreeText;
import keyquota.application.notification.NotificationType;
import keyquota.application.notification.WebhookTargets;
import keyquota.application.quota.UsageReports;
import keyquota.domain.ProjectId;
import keyquota.domain.UserId;
import keyquota.domain.key.AllowedCidrs;
import keyquota.domain.key.RollKey;
import keyquota.domain.quota.AlertThresholds;
import keyquota.domain.quotarequest.QuotaRequest;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * The limits of the description's strings, integers and arrays, from the code that enforces or produces them:
 * the shapes of ids, the lengths the database columns hold, the page sizes. Applied by name to every schema
 * property and parameter that bean validation left without one; what the service does with a value beyond a
 * limit it does not check itself is said where it matters (an id of another shape is simply not found).
 */
final class SchemaLimits {

    static final String ALLOCATION_ID = "[A-Za-z0-9._:-]{1,128}";
    /** RFC 3339 with nanoseconds and an offset: 2026-11-29T08:00:00.123456789+08:00. */
    private static final int DATE_TIME_LENGTH = 35;
    /** 2026-12-01 */
    private static final int DATE_LENGTH = 10;
    private static final int UUID_LENGTH = 36;
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    private record Text(int maxLength, String pattern, String format) {
        Text(int maxLength, String pattern) {
            this(maxLength, pattern, null);
        }

        Text(int maxLength) {
            this(maxLength, null, null);
        }
    }

    private record Range(long minimum, BigDecimal maximum) {
    }

    /** Strings by property or parameter name. */
    private static final Map<String, Text> TEXTS = Map.ofEntries(
            Map.entry("projectId", new Text(64, ProjectId.PATTERN)),
            Map.entry("userId", new Text(64, UserId.PATTERN)),
            Map.entry("requestedBy", new Text(64, UserId.PATTERN)),
            Map.entry("forwardedBy", new Text(64, UserId.PATTERN)),
            Map.entry("name", new Text(FreeText.MAX_NAME_LENGTH)),
            Map.entry("reason", new Text(QuotaRequest.MAX_REASON_LENGTH)),
            Map.entry("decisionReason", new Text(QuotaRequest.MAX_REASON_LENGTH)),
            Map.entry("forwardReason", new Text(QuotaRequest.MAX_REASON_LENGTH)),
            Map.entry("service", new Text(16, "[A-Z]{1,16}")),
            Map.entry("allocationId", new Text(128, ALLOCATION_ID)),
            Map.entry("email", new Text(254, null, "email")),
            // kq_ + 32 + 6 base62; a verify of anything else answers MALFORMED
            Map.entry("key", new Text(41, "kq_[0-9A-Za-z]{38}")),
            Map.entry("maskedKey", new Text(12, "kq_[0-9A-Za-z]{4}…[0-9A-Za-z]{4}")),
            Map.entry("secret", new Text(70, "whsec_[0-9a-f]{64}")),
            Map.entry("url", new Text(WebhookTargets.MAX_LENGTH, null, "uri")),
            Map.entry("cursor", new Text(128, "[A-Za-z0-9_=-]+")),
            Map.entry("nextCursor", new Text(128, "[A-Za-z0-9_=-]+")),
            Map.entry("correlationId", new Text(64, "[A-Za-z0-9._-]{1,64}")),
            Map.entry("type", new Text(255, "[A-Za-z0-9_.]+")),
            Map.entry("subject", new Text(200)),
            Map.entry("status", new Text(16, "[A-Z_]+")),
            Map.entry("lastUsedBy", new Text(8, "[A-Z]+")),
            Map.entry("clientIp", new Text(64)),
            Map.entry("processingGroup", new Text(255)),
            Map.entry("eventIdentifier", new Text(255)),
            Map.entry("eventType", new Text(255)),
            Map.entry("aggregateIdentifier", new Text(255)),
            Map.entry("causeType", new Text(255)),
            Map.entry("cause", new Text(1023)),
            Map.entry("failure", new Text(1023)),
            // a value of another shape names no request: 404, as an unknown one
            Map.entry("requestId", new Text(UUID_LENGTH, null, "uuid")),
            Map.entry("field", new Text(255)),
            Map.entry("message", new Text(255)),
            Map.entry("title", new Text(64)),
            Map.entry("detail", new Text(255)),
            Map.entry("code", new Text(32, "[A-Z_]+")),
            Map.entry("resource", new Text(64, "[a-z_]+")),
            Map.entry("scope", new Text(16, "[A-Z]+")));

    /** The items of string arrays, by the array's name. */
    private static final Map<String, Text> ITEMS = Map.of(
            "services", new Text(16, "[A-Z]{1,16}"),
            "allowedCidrs", new Text(64),
            "allocationIds", new Text(128, ALLOCATION_ID),
            "leaked", new Text(128, ALLOCATION_ID),
            "released", new Text(128, ALLOCATION_ID),
            "unknown", new Text(128, ALLOCATION_ID),
            "resources", new Text(64, "[a-z_]+"),
            "types", new Text(32, "[A-Z_]+"));

    /** Integers by name: the values of resource maps (quota, usage, amounts) are -1 (unlimited) or more. */
    private static final Map<String, Range> NUMBERS = Map.ofEntries(
            Map.entry("validDays", new Range(1, BigDecimal.valueOf(365))),
            Map.entry("days", new Range(1, BigDecimal.valueOf(365))),
            Map.entry("graceHours", new Range(0, BigDecimal.valueOf(RollKey.MAX_GRACE_HOURS))),
            Map.entry("thresholds", new Range(1, BigDecimal.valueOf(100))),
            Map.entry("position", new Range(0, LONG_MAX)),
            Map.entry("headPosition", new Range(0, LONG_MAX)),
            Map.entry("sequenceNumber", new Range(0, LONG_MAX)),
            Map.entry("attempts", new Range(0, INT_MAX)),
            Map.entry("lastStatusCode", new Range(100, BigDecimal.valueOf(599))),
            Map.entry("retried", new Range(0, INT_MAX)),
            Map.entry("remaining", new Range(0, INT_MAX)),
            Map.entry("min", new Range(-1, LONG_MAX)),
            Map.entry("max", new Range(-1, LONG_MAX)),
            Map.entry("status", new Range(400, BigDecimal.valueOf(599))),
            Map.entry("requested", new Range(0, LONG_MAX)),
            Map.entry("available", new Range(-1, LONG_MAX)),
            Map.entry("projectQuota", new Range(-1, LONG_MAX)),
            Map.entry("quota", new Range(-1, LONG_MAX)),
            Map.entry("usage", new Range(0, LONG_MAX)),
            Map.entry("peak", new Range(0, LONG_MAX)),
            Map.entry("resources", new Range(-1, LONG_MAX)),
            Map.entry("member", new Range(0, LONG_MAX)),
            Map.entry("project", new Range(0, LONG_MAX)));

    /** Arrays by schema and property; those the service does not cap are named in the lint's ruleset. */
    private static final Map<String, Integer> ARRAYS = Map.ofEntries(
            Map.entry("KeyList.keys", 100),
            Map.entry("QuotaRequestList.requests", 100),
            Map.entry("DeleteResults.results", 100),
            Map.entry("EntryList.entries", 200),
            Map.entry("NotificationList.notifications", 200),
            Map.entry("DeliveryList.deliveries", keyquota.application.notification.Webhooks.DELIVERIES_LISTED),
            Map.entry("ServiceList.services", 2),
            Map.entry("ServiceTotals.services", 2),
            Map.entry("KeyResponse.services", 2),
            Map.entry("KeyResponse.allowedCidrs", AllowedCidrs.MAX),
            Map.entry("Service.resources", 4),
            Map.entry("WebhookResponse.types", NotificationType.values().length),
            Map.entry("AlertThresholds.thresholds", AlertThresholds.MOST),
            Map.entry("ReconcileResponse.unknown", 100_000),
            // 400 days of hours, and the hour that from is rounded down into
            Map.entry("HistoryResponse.points", UsageReports.MOST_DAYS * 24 + 1),
            Map.entry("Problem.errors", 100));

    private static final Set<String> MAPS_OF_AMOUNTS = Set.of("quota", "usage", "peak", "resources", "member", "project");

    private SchemaLimits() {
    }

    static void apply(OpenAPI description) {
        description.getComponents().getSchemas().forEach((name, schema) -> {
            Map<String, Schema> properties = schema.getProperties();
            if (properties != null) {
                properties.forEach((property, value) -> limit(name, property, value));
            }
        });
        description.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            if (operation.getParameters() != null) {
                for (Parameter parameter : operation.getParameters()) {
                    if (parameter.getSchema() != null) {
                        // springdoc shares one schema among parameters of the same type: each gets its own limits
                        parameter.setSchema(AnnotationsUtils.clone(parameter.getSchema(), true));
                        limit(null, parameter.getName(), parameter.getSchema());
                    }
                }
            }
        }));
    }

    private static void limit(String owner, String name, Schema<?> schema) {
        if (schema == null || schema.get$ref() != null) {
            return;
        }
        String type = typeOf(schema);
        if ("string".equals(type)) {
            text(schema, TEXTS.get(name));
        } else if ("integer".equals(type)) {
            number(schema, NUMBERS.get(name));
        } else if ("array".equals(type)) {
            if (schema.getMaxItems() == null && owner != null && ARRAYS.containsKey(owner + "." + name)) {
                schema.setMaxItems(ARRAYS.get(owner + "." + name));
            }
            Schema<?> items = schema.getItems();
            if (items != null && items.get$ref() == null) {
                if ("string".equals(typeOf(items))) {
                    text(items, ITEMS.get(name));
                } else if ("integer".equals(typeOf(items))) {
                    number(items, NUMBERS.get(name));
                }
            }
        } else if ("object".equals(type) && MAPS_OF_AMOUNTS.contains(name)
                && schema.getAdditionalProperties() instanceof Schema<?> amounts) {
            number(amounts, NUMBERS.get(name));
            // the resources of a service: at most four (VCS)
            schema.setMaxProperties(4);
        }
    }

    private static void text(Schema<?> schema, Text text) {
        if (schema.getEnum() != null) {
            return;
        }
        if (schema.getMaxLength() != null) {
            // bean validation gave the length; the shape, where there is one, still comes from here
            if (text != null && schema.getPattern() == null && schema.getFormat() == null) {
                schema.setPattern(text.pattern());
                schema.setFormat(text.format());
            }
            return;
        }
        if ("date-time".equals(schema.getFormat())) {
            schema.setMaxLength(DATE_TIME_LENGTH);
        } else if ("date".equals(schema.getFormat())) {
            schema.setMaxLength(DATE_LENGTH);
        } else if ("uuid".equals(schema.getFormat())) {
            schema.setMaxLength(UUID_LENGTH);
        } else if (text != null) {
            schema.setMaxLength(text.maxLength());
            if (schema.getPattern() == null && schema.getFormat() == null) {
                schema.setPattern(text.pattern());
                schema.setFormat(text.format());
            }
        }
    }

    private static void number(Schema<?> schema, Range range) {
        if (range == null) {
            return;
        }
        if (schema.getMinimum() == null) {
            schema.setMinimum(BigDecimal.valueOf(range.minimum()));
        }
        if (schema.getMaximum() == null) {
            schema.setMaximum(range.maximum());
        }
    }

    /** OpenAPI 3.1 schemas name their type in {@code types}, with "null" beside it for a nullable one. */
    private static String typeOf(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        if (schema.getTypes() == null) {
            return null;
        }
        for (Object type : schema.getTypes()) {
            if (!"null".equals(type)) {
                return type.toString();
            }
        }
        return null;
    }
}
