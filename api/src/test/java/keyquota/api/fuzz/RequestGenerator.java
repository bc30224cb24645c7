package keyquota.api.fuzz;

import keyquota.api.fuzz.Operations.Operation;
import keyquota.api.fuzz.Operations.Parameter;
import keyquota.api.fuzz.World.Caller;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Draws the fuzz's requests for an operation from jqwik arbitraries and a seeded {@link Random}: a valid-looking
 * request built from the operation's description and the {@link World}, then at most one mutation of it — of the
 * caller, a path or query parameter, a header, the body or the method. The mutation's kind names it without its
 * random parts, so that the violations it finds can be told apart and deduplicated.
 */
final class RequestGenerator {

    private static final int GEN_SIZE = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final List<String> RESOURCES = List.of("cpu", "gpu", "memory", "floating_ip");
    private static final int LARGE_BODY_BYTES = 100 * 1024;

    record Header(String name, String value) {
    }

    /**
     * One request of the fuzz.
     *
     * @param kind    what was mutated, e.g. {@code Accept text/html}, {@code path keyId: %00} or {@code valid}
     * @param target  the path and query, ready for a URI
     * @param body    null for none
     * @param chunked whether the body goes without a Content-Length
     */
    record FuzzRequest(String kind, String method, String target, Caller caller, List<Header> headers, byte[] body,
                       boolean chunked) {
    }

    /** A mutation with its name. */
    private record Variant(String label, Consumer<Draft> apply) {
    }

    /** A value with its name; {@code raw} values go into a URI as they are, the others are percent-encoded. */
    private record Value(String label, String value, boolean raw) {

        static Value text(String label, String value) {
            return new Value(label, value, false);
        }

        static Value raw(String label, String value) {
            return new Value(label, value, true);
        }

        String encoded() {
            return raw ? value : percentEncode(value);
        }
    }

    private enum Dimension { VALID, CALLER, PATH, QUERY, HEADER, CONTENT_TYPE, ACCEPT, BODY, METHOD }

    /** The request being drawn; {@link #fields} are the body's members as JSON fragments, {@link #raw} any body. */
    private static final class Draft {
        String kind = "valid";
        String method;
        Caller caller;
        final Map<String, String> path = new LinkedHashMap<>();
        final List<String> query = new ArrayList<>();
        String contentType;
        String accept;
        final List<Header> headers = new ArrayList<>();
        Map<String, String> fields;
        byte[] raw;
        boolean chunked;

        byte[] body() {
            if (raw != null) {
                return raw;
            }
            return fields == null ? null : render(fields).getBytes(StandardCharsets.UTF_8);
        }
    }

    private final World world;
    private final List<Operation> operations;
    private final Random random;
    private int serial;

    RequestGenerator(World world, List<Operation> operations, Random random) {
        this.world = world;
        this.operations = operations;
        this.random = random;
    }

    FuzzRequest next(Operation operation) {
        Draft draft = valid(operation);
        switch (draw(dimensions(operation))) {
            case VALID -> {
            }
            case CALLER -> mutateCaller(draft);
            case PATH -> mutatePath(draft, operation);
            case QUERY -> mutateQuery(draft, operation);
            case HEADER -> apply(draft, "header ", pick(headerVariants()));
            case CONTENT_TYPE -> mutateContentType(draft);
            case ACCEPT -> mutateAccept(draft);
            case BODY -> mutateBody(draft, operation);
            case METHOD -> mutateMethod(draft, operation);
        }
        return build(operation, draft);
    }

    // --- drawing --------------------------------------------------------------------------------------------------

    private <T> T draw(Arbitrary<T> arbitrary) {
        return arbitrary.generator(GEN_SIZE, true).next(random).value();
    }

    private <T> T pick(List<T> values) {
        return draw(Arbitraries.of(values));
    }

    private boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    private int between(int min, int max) {
        return draw(Arbitraries.integers().between(min, max));
    }

    private String word() {
        return draw(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12));
    }

    private UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    private String fresh(String prefix) {
        return prefix + (++serial) + "-" + Integer.toHexString(random.nextInt());
    }

    private Arbitrary<Dimension> dimensions(Operation operation) {
        List<Tuple2<Integer, Dimension>> weights = new ArrayList<>(List.of(
                Tuple.of(8, Dimension.VALID), Tuple.of(10, Dimension.CALLER), Tuple.of(10, Dimension.QUERY),
                Tuple.of(6, Dimension.HEADER), Tuple.of(10, Dimension.CONTENT_TYPE), Tuple.of(8, Dimension.ACCEPT),
                Tuple.of(operation.body() == null ? 5 : 30, Dimension.BODY)));
        if (!operation.in("path").isEmpty()) {
            weights.add(Tuple.of(16, Dimension.PATH));
        }
        if (!otherMethods(operation).isEmpty()) {
            weights.add(Tuple.of(3, Dimension.METHOD));
        }
        return Arbitraries.frequency(weights);
    }

    private void apply(Draft draft, String prefix, Variant variant) {
        draft.kind = prefix + variant.label();
        variant.apply().accept(draft);
    }

    // --- the valid-looking request --------------------------------------------------------------------------------

    private Draft valid(Operation operation) {
        Draft draft = new Draft();
        draft.method = operation.method();
        draft.caller = chance(0.7) ? world.operator() : pick(world.principals());
        for (Parameter parameter : operation.in("path")) {
            draft.path.put(parameter.name(), percentEncode(validPathValue(parameter)));
        }
        for (Parameter parameter : operation.in("query")) {
            if (parameter.required() || chance(0.4)) {
                String value = validQueryValue(parameter);
                if (value != null) {
                    draft.query.add(parameter.name() + "=" + percentEncode(value));
                }
            }
        }
        if (operation.body() != null) {
            draft.fields = validObject(operation.body());
            draft.contentType = "application/json";
        }
        if (chance(0.3)) {
            draft.accept = "application/json";
        }
        return draft;
    }

    private String validPathValue(Parameter parameter) {
        return switch (parameter.name()) {
            case "projectId" -> draw(Arbitraries.frequency(Tuple.of(8, world.home()), Tuple.of(1, world.other()),
                    Tuple.of(1, "NOPE-" + word())));
            case "userId" -> chance(0.85) ? pick(world.victimIds()) : "ghost-" + word();
            case "keyId" -> chance(0.85) ? pick(world.keyIds()) : uuid().toString();
            case "service" -> draw(Arbitraries.frequency(Tuple.of(5, "CCS"), Tuple.of(3, "VCS"), Tuple.of(1, "GPU")));
            case "allocationId" -> chance(0.5) ? world.allocationId() : fresh("fz-alloc-");
            case "requestId" -> chance(0.85) ? pick(world.requestIds()) : uuid().toString();
            // a replay reads the whole event store: a few of them, most names unknown
            case "name" -> chance(0.2) ? pick(World.READ_MODELS) : "no-such-" + word();
            default -> word();
        };
    }

    private String validQueryValue(Parameter parameter) {
        JsonNode schema = parameter.schema();
        if (schema.has("enum")) {
            return pick(schema.path("enum").valueStream().map(JsonNode::asString).toList());
        }
        if (parameter.format().equals("date-time")) {
            return Instant.now().minus(Duration.ofMinutes(between(-60, 60 * 24 * 30)))
                    .truncatedTo(ChronoUnit.SECONDS).toString();
        }
        if (parameter.format().equals("uuid")) {
            return pick(world.keyIds());
        }
        return switch (parameter.type()) {
            case "boolean" -> Boolean.toString(random.nextBoolean());
            case "integer" -> Integer.toString(between(schema.path("minimum").asInt(1),
                    schema.path("maximum").asInt(100)));
            default -> switch (parameter.name()) {
                case "userId" -> pick(world.memberIds());
                case "projectId" -> world.home();
                case "type" -> pick(List.of("ProjectCreated", "KeyCreated", "MemberJoined", word()));
                case "cursor" -> null;
                default -> word();
            };
        };
    }

    private Map<String, String> validObject(JsonNode schema) {
        Set<String> required = schema.path("required").valueStream().map(JsonNode::asString)
                .collect(Collectors.toSet());
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            if (required.contains(property.getKey()) || chance(0.6)) {
                fields.put(property.getKey(), validValue(property.getKey(), property.getValue()));
            }
        }
        return fields;
    }

    /** A JSON fragment that fits the schema and, by the field's name, refers to the world. */
    private String validValue(String name, JsonNode schema) {
        if (schema.has("enum")) {
            return quote(pick(schema.path("enum").valueStream().map(JsonNode::asString).toList()));
        }
        return switch (schema.path("type").asString("string")) {
            case "object" -> schema.has("additionalProperties")
                    ? render(resources(between(1, 3), () -> Integer.toString(between(-1, 10))))
                    : render(validObject(schema));
            case "array" -> IntStream.range(0, between(1, 3))
                    .mapToObj(i -> validValue(name, schema.path("items")))
                    .collect(Collectors.joining(",", "[", "]"));
            case "integer" -> Integer.toString(between(1, 30));
            case "boolean" -> Boolean.toString(random.nextBoolean());
            default -> quote(validText(name, schema));
        };
    }

    private String validText(String name, JsonNode schema) {
        if (schema.path("format").asString("").equals("uuid")) {
            return chance(0.8) ? pick(world.keyIds()) : uuid().toString();
        }
        return switch (name) {
            case "projectId" -> chance(0.8) ? fresh("FZ-") : world.home();
            case "userId" -> pick(chance(0.7) ? world.memberIds() : world.victimIds());
            case "service" -> pick(List.of("CCS", "VCS"));
            case "allocationId" -> chance(0.8) ? fresh("fz-alloc-") : world.allocationId();
            case "key" -> world.unknownKey();
            default -> "fuzz " + word();
        };
    }

    private Map<String, String> resources(int count, Supplier<String> amount) {
        Map<String, String> resources = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            resources.put(pick(RESOURCES), amount.get());
        }
        return resources;
    }

    // --- mutations: the caller, the path, the query -------------------------------------------------------------

    private void mutateCaller(Draft draft) {
        List<Caller> callers = new ArrayList<>(world.principals().subList(1, world.principals().size()));
        callers.addAll(world.impostors());
        draft.caller = pick(callers);
        draft.kind = "caller: " + draft.caller.label();
    }

    /** Strings no identifier looks like, for path segments and query values alike. */
    private List<Value> hostileText() {
        return List.of(
                Value.text("empty", ""),
                Value.text("unicode", "名前🔑\u202egnirts"),
                Value.text("NUL", "a\u0000b"),
                Value.text("control characters", "\t\u0007\u001b[31m"),
                Value.text("SQL", "' OR '1'='1'; DROP TABLE api_key;--"),
                Value.text("JSON metacharacters", "{\"$ne\":null}]\\\","),
                Value.text("markup", "<script>alert(1)</script>"),
                Value.text("format string", "%s%n${jndi:ldap://x}"),
                Value.text("spaces", "  a b  "),
                Value.text("long", "x".repeat(300)),
                Value.text("very long", "x".repeat(5000)),
                Value.text("random unicode", draw(Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30))),
                Value.raw("%00", "%00"),
                Value.raw("..%2f", "..%2f..%2f..%2fetc%2fpasswd"),
                Value.raw("%2e%2e", "%2e%2e"),
                Value.raw("encoded slash", "a%2Fb"),
                Value.raw("backslash", "a%5Cb"),
                Value.raw("%25", "%25"),
                Value.raw("bad UTF-8", "%FF%FE"),
                Value.raw("overlong UTF-8", "%C0%AF"),
                Value.raw("plus", "a+b"),
                Value.raw("huge", "y".repeat(20_000)));
    }

    private List<Value> hostilePathValues(Parameter parameter) {
        List<Value> values = new ArrayList<>(hostileText());
        values.addAll(List.of(
                Value.raw("dot dot", ".."),
                Value.raw("dot", "."),
                Value.raw("matrix parameter", "x;jsessionid=1"),
                Value.raw("encoded semicolon", "x%3Bb")));
        if (parameter.format().equals("uuid")) {
            values.addAll(nonUuids());
        }
        if (parameter.name().equals("projectId")) {
            values.add(Value.text("other case", world.home().toLowerCase(Locale.ROOT)));
            values.add(Value.raw("traversal to another project", world.home() + "%2F..%2F" + world.other()));
            values.add(Value.text("trailing space", world.home() + " "));
        }
        return values;
    }

    private List<Value> nonUuids() {
        String uuid = pick(world.keyIds());
        return List.of(
                Value.text("not a UUID", "not-a-uuid"),
                Value.text("nil UUID", "00000000-0000-0000-0000-000000000000"),
                Value.text("too long UUID", uuid + "00"),
                Value.text("short UUID form", "1-1-1-1-1"),
                Value.text("upper-case UUID", uuid.toUpperCase(Locale.ROOT)),
                Value.text("UUID in braces", "{" + uuid + "}"),
                Value.text("UUID without dashes", uuid.replace("-", "")),
                Value.text("number", "-1"));
    }

    private void mutatePath(Draft draft, Operation operation) {
        Parameter parameter = pick(operation.in("path"));
        Value value = pick(hostilePathValues(parameter));
        draft.path.put(parameter.name(), value.encoded());
        draft.kind = "path " + parameter.name() + ": " + value.label();
    }

    private List<Value> hostileQueryValues(Parameter parameter) {
        List<Value> values = new ArrayList<>(List.of(Value.raw("%00", "%00"), Value.raw("bad UTF-8", "%FF")));
        if (parameter.schema().has("enum")) {
            values.addAll(List.of(Value.text("unknown value", "BOGUS"), Value.text("lower case", "active"),
                    Value.text("ordinal", "0")));
        }
        if (parameter.format().equals("date-time")) {
            values.addAll(List.of(
                    Value.text("bad date", "2026-13-45T99:00:00Z"),
                    Value.text("not a date", "yesterday"),
                    Value.text("year zero", "0000-01-01T00:00:00Z"),
                    Value.text("far future", "+999999999-12-31T23:59:59Z"),
                    Value.text("far past", "-999999999-01-01T00:00:00Z"),
                    Value.text("epoch", "1970-01-01T00:00:00Z"),
                    Value.text("bad offset", "2026-11-29T08:00:00+25:00"),
                    Value.text("offset", "2026-11-29T08:00:00+08:00"),
                    Value.text("date only", "2026-11-29"),
                    Value.text("epoch seconds", "1700000000"),
                    Value.text("too many decimals", "2026-11-29T08:00:00.1234567891234Z")));
        } else if (parameter.format().equals("uuid")) {
            values.addAll(nonUuids());
        } else if (parameter.type().equals("integer")) {
            int minimum = parameter.schema().path("minimum").asInt(1);
            int maximum = parameter.schema().path("maximum").asInt(100);
            values.addAll(List.of(
                    Value.text("wrong type", "abc"),
                    Value.text("below minimum", Integer.toString(minimum - 1)),
                    Value.text("above maximum", Integer.toString(maximum + 1)),
                    Value.text("negative", "-1"),
                    Value.text("huge", "99999999999999999999"),
                    Value.text("int overflow", "2147483648"),
                    Value.text("decimal", "1.5"),
                    Value.text("exponent", "1e2"),
                    Value.text("hex", "0x10"),
                    Value.text("leading plus", "+5"),
                    Value.text("random long", Long.toString(draw(Arbitraries.longs())))));
        } else if (parameter.type().equals("boolean")) {
            values.addAll(List.of(Value.text("wrong type", "maybe"), Value.text("number", "2"),
                    Value.text("upper case", "TRUE")));
        } else if (parameter.name().equals("cursor")) {
            values.addAll(List.of(
                    Value.text("garbage cursor", "garbage"),
                    Value.text("base64 JSON cursor", "eyJwb3NpdGlvbiI6LTF9"),
                    Value.text("base64 cursor of a huge number", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5"),
                    Value.text("negative cursor", "-1"),
                    Value.text("long cursor", "A".repeat(5000)),
                    Value.text("random cursor", draw(Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)))));
            values.addAll(hostileText());
        } else {
            values.addAll(hostileText());
        }
        return values;
    }

    private void mutateQuery(Draft draft, Operation operation) {
        List<Parameter> parameters = operation.in("query");
        if (!parameters.isEmpty() && chance(0.8)) {
            Parameter parameter = pick(parameters);
            String name = parameter.name();
            draft.query.removeIf(pair -> pair.startsWith(name + "="));
            switch (between(0, 9)) {
                case 0 -> {
                    String value = validQueryValue(parameter);
                    value = value == null ? "x" : value;
                    draft.query.add(name + "=" + percentEncode(value));
                    draft.query.add(name + "=" + percentEncode(value));
                    draft.kind = "query " + name + ": repeated";
                }
                case 1 -> {
                    draft.query.add(name + "=");
                    draft.kind = "query " + name + ": empty value";
                }
                default -> {
                    Value value = pick(hostileQueryValues(parameter));
                    draft.query.add(name + "=" + value.encoded());
                    draft.kind = "query " + name + ": " + value.label();
                }
            }
            return;
        }
        apply(draft, "query: ", pick(List.of(
                new Variant("unknown parameter", d -> d.query.add("bogus=1")),
                new Variant("parameter without value", d -> d.query.add("bogus")),
                new Variant("array syntax", d -> d.query.add("limit[]=1")),
                new Variant("unicode name", d -> d.query.add(percentEncode("名前") + "=1")),
                new Variant("NUL in name", d -> d.query.add("a%00b=1")),
                new Variant("huge query string", d -> d.query.add("q=" + "z".repeat(20_000))),
                new Variant("many parameters",
                        d -> IntStream.range(0, 2_000).forEach(i -> d.query.add("p" + i + "=1"))))));
    }

    // --- mutations: headers ---------------------------------------------------------------------------------------

    private List<Variant> headerVariants() {
        return List.of(
                header("X-Correlation-Id: very long", "X-Correlation-Id", "c".repeat(5000)),
                header("X-Correlation-Id: non-ASCII", "X-Correlation-Id", "café-Ünïcødé"),
                header("X-Correlation-Id: metacharacters", "X-Correlation-Id", "'\"{}<>;%00"),
                header("X-Correlation-Id: empty", "X-Correlation-Id", ""),
                header("Accept-Language: garbage", "Accept-Language", ";;;q=x,--"),
                header("Accept-Charset: bogus", "Accept-Charset", "bogus"),
                header("Authorization: Bearer", "Authorization", "Bearer abc"),
                header("X-HTTP-Method-Override: DELETE", "X-HTTP-Method-Override", "DELETE"),
                header("If-None-Match: *", "If-None-Match", "*"),
                header("Range: bytes=0-0", "Range", "bytes=0-0"),
                header("Origin: elsewhere", "Origin", "https://evil.example"),
                header("very long header", "X-Padding", "p".repeat(20_000)));
    }

    private static Variant header(String label, String name, String value) {
        return new Variant(label, draft -> draft.headers.add(new Header(name, value)));
    }

    private void mutateContentType(Draft draft) {
        String type = pick(List.of("missing", "*/*", "text/*", "application/*", "application/json;charset=bogus",
                ";;;", "", "/", "application/", "text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data", "multipart/form-data; boundary=x", "application/octet-stream",
                "application/json; charset=utf-16", "application/problem+json", "application/merge-patch+json",
                "application/json;;", "application/json; charset=\"", "APPLICATION/JSON", "text/html; charset=",
                "application/json, text/plain"));
        draft.contentType = type.equals("missing") ? null : type;
        draft.kind = "Content-Type " + (type.isEmpty() ? "(empty)" : type);
    }

    private void mutateAccept(Draft draft) {
        String accept = pick(List.of("text/html", "application/xml", ";;;", "garbage", "", "*/*", "text/*",
                "image/png", "text/csv", "application/problem+json", "application/json;q=0", "*/*;q=abc",
                "application/json;charset=bogus", "text/html, application/xhtml+xml, */*;q=0.8"));
        draft.accept = accept;
        draft.kind = "Accept " + (accept.isEmpty() ? "(empty)" : accept);
    }

    private List<String> otherMethods(Operation operation) {
        Set<String> listed = Operations.methodsOf(operations, operation.path());
        return HTTP_METHODS.stream().filter(method -> !listed.contains(method)).toList();
    }

    private void mutateMethod(Draft draft, Operation operation) {
        draft.method = pick(otherMethods(operation));
        draft.kind = "method " + draft.method;
    }

    // --- mutations: the body --------------------------------------------------------------------------------------

    private void mutateBody(Draft draft, Operation operation) {
        if (operation.body() == null) {
            draft.contentType = "application/json";
            apply(draft, "body: ", pick(List.of(
                    new Variant("unexpected JSON", d -> d.raw = utf8("{\"unexpected\":true}")),
                    new Variant("unexpected garbage", d -> d.raw = draw(bytes())),
                    new Variant("unexpected 100 KB",
                            d -> d.raw = utf8("[\"" + "u".repeat(LARGE_BODY_BYTES) + "\"]")))));
            return;
        }
        if (draft.fields.isEmpty() || chance(0.5)) {
            apply(draft, "body: ", pick(wholeBodyVariants(draft)));
            return;
        }
        String field = pick(new ArrayList<>(operation.body().path("properties").propertyNames()));
        JsonNode schema = operation.body().path("properties").path(field);
        Value value = pick(hostileFieldValues(field, schema));
        draft.fields.put(field, value.value());
        draft.kind = "body " + field + ": " + value.label();
    }

    private Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200);
    }

    private List<Variant> wholeBodyVariants(Draft draft) {
        String valid = render(draft.fields);
        String field = draft.fields.isEmpty() ? "unexpected" : draft.fields.keySet().iterator().next();
        return List.of(
                new Variant("empty", d -> d.raw = new byte[0]),
                new Variant("null", d -> d.raw = utf8("null")),
                new Variant("array instead of object", d -> d.raw = utf8("[" + valid + "]")),
                new Variant("string instead of object", d -> d.raw = utf8("\"" + word() + "\"")),
                new Variant("number instead of object", d -> d.raw = utf8("42")),
                new Variant("no fields", d -> d.raw = utf8("{}")),
                new Variant("truncated", d -> d.raw = utf8(valid.substring(0, between(1, valid.length() - 1)))),
                new Variant("non-JSON bytes", d -> d.raw = draw(bytes())),
                new Variant("invalid UTF-8", d -> d.raw = concat(utf8("{\"" + field + "\":\""),
                        new byte[]{(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, utf8("\"}"))),
                new Variant("byte order mark", d -> d.raw = concat(new byte[]{(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                        utf8(valid), new byte[0])),
                new Variant("deeply nested arrays", d -> d.raw = utf8("[".repeat(20_000) + "]".repeat(20_000))),
                new Variant("deeply nested objects", d -> d.raw = utf8("{\"a\":".repeat(3_000) + "1"
                        + "}".repeat(3_000))),
                new Variant("deeply nested field", d -> d.fields.put(field, "[".repeat(5_000) + "]".repeat(5_000))),
                new Variant("extra field", d -> d.fields.put("unexpected", "1")),
                new Variant("extra field @class", d -> d.fields.put("@class", quote("java.lang.ProcessBuilder"))),
                new Variant("extra field __proto__", d -> d.fields.put("__proto__", "{\"admin\":true}")),
                new Variant("duplicate field", d -> d.raw = utf8("{\"" + field + "\":1," + valid.substring(1))),
                new Variant("trailing garbage", d -> d.raw = utf8(valid + "garbage")),
                new Variant("two documents", d -> d.raw = utf8(valid + valid)),
                new Variant("comment", d -> d.raw = utf8("/* hi */" + valid)),
                new Variant("single quotes", d -> d.raw = utf8(valid.replace('"', '\''))),
                new Variant("100 KB", d -> d.fields.put(field, quote("b".repeat(LARGE_BODY_BYTES)))),
                new Variant("100 KB chunked", d -> {
                    d.fields.put(field, quote("c".repeat(LARGE_BODY_BYTES)));
                    d.chunked = true;
                }),
                new Variant("chunked", d -> d.chunked = true));
    }

    /** JSON fragments that do not fit the field's schema, or fit it only just. */
    private List<Value> hostileFieldValues(String field, JsonNode schema) {
        List<Value> values = new ArrayList<>(List.of(
                Value.text("null", "null"),
                Value.text("wrong type: object", "{}"),
                Value.text("wrong type: array", "[]"),
                Value.text("wrong type: boolean", "true"),
                Value.text("missing", null)));
        String type = schema.path("type").asString("string");
        switch (type) {
            case "integer" -> {
                values.add(Value.text("wrong type: string", "\"5\""));
                values.addAll(hugeNumbers());
            }
            case "object" -> {
                values.add(Value.text("wrong type: string", "\"cpu\""));
                values.addAll(hostileMaps());
            }
            case "array" -> {
                values.add(Value.text("wrong type: string", quote(pick(world.keyIds()))));
                values.addAll(hostileArrays());
            }
            case "boolean" -> values.add(Value.text("wrong type: string", "\"true\""));
            default -> {
                values.add(Value.text("wrong type: number", "42"));
                values.add(Value.text("lone surrogate", "\"broken\\ud800pair\""));
                values.add(Value.text("escaped NUL", "\"a\\u0000b\""));
                if (schema.has("maxLength")) {
                    values.add(Value.text("over maxLength", quote("m".repeat(schema.path("maxLength").asInt() + 1))));
                }
                hostileText().stream().filter(value -> !value.raw())
                        .forEach(value -> values.add(Value.text(value.label(), quote(value.value()))));
            }
        }
        return values;
    }

    private List<Value> hugeNumbers() {
        return List.of(
                Value.text("huge exponent", "1e400"),
                Value.text("huge negative exponent", "-1e400"),
                Value.text("huge integer", "99999999999999999999"),
                Value.text("huger integer", "9".repeat(5_000)),
                Value.text("Long.MAX_VALUE", Long.toString(Long.MAX_VALUE)),
                Value.text("Long.MIN_VALUE", Long.toString(Long.MIN_VALUE)),
                Value.text("Long overflow", "9223372036854775808"),
                Value.text("int overflow", "2147483648"),
                Value.text("int underflow", "-2147483649"),
                Value.text("negative", "-1"),
                Value.text("zero", "0"),
                Value.text("decimal", "1.5"),
                Value.text("decimal integer", "30.0"),
                Value.text("exponent", "1e2"),
                Value.text("negative zero", "-0"),
                Value.text("NaN", "NaN"),
                Value.text("Infinity", "Infinity"),
                Value.text("hex", "0x10"),
                Value.text("random long", Long.toString(draw(Arbitraries.longs()))));
    }

    private List<Value> hostileMaps() {
        String resource = pick(RESOURCES);
        return List.of(
                Value.text("empty map", "{}"),
                Value.text("unknown resource", "{\"bogus\":1}"),
                Value.text("hostile resource name", "{" + quote("cpu\u0000' OR 1=1") + ":1}"),
                Value.text("empty resource name", "{\"\":1}"),
                Value.text("amount Long.MAX_VALUE", "{\"" + resource + "\":" + Long.MAX_VALUE + "}"),
                Value.text("amount Long.MIN_VALUE", "{\"" + resource + "\":" + Long.MIN_VALUE + "}"),
                Value.text("amount overflow", "{\"" + resource + "\":9223372036854775808}"),
                Value.text("amount huge exponent", "{\"" + resource + "\":1e400}"),
                Value.text("amount -2", "{\"" + resource + "\":-2}"),
                Value.text("amount decimal", "{\"" + resource + "\":1.5}"),
                Value.text("amount string", "{\"" + resource + "\":\"1\"}"),
                Value.text("amount null", "{\"" + resource + "\":null}"),
                Value.text("amount object", "{\"" + resource + "\":{}}"),
                Value.text("amounts all zero", render(resources(2, () -> "0"))),
                Value.text("random amount", "{\"" + resource + "\":" + draw(Arbitraries.longs()) + "}"),
                Value.text("many resources", IntStream.range(0, 1_000).mapToObj(i -> "\"r" + i + "\":1")
                        .collect(Collectors.joining(",", "{", "}"))));
    }

    private List<Value> hostileArrays() {
        String keyId = quote(pick(world.keyIds()));
        return List.of(
                Value.text("empty array", "[]"),
                Value.text("101 items", IntStream.range(0, 101).mapToObj(i -> quote(uuid().toString()))
                        .collect(Collectors.joining(",", "[", "]"))),
                Value.text("null item", "[null]"),
                Value.text("non-UUID item", "[\"not-a-uuid\"]"),
                Value.text("number item", "[1]"),
                Value.text("nested array", "[[" + keyId + "]]"),
                Value.text("duplicate items", "[" + keyId + "," + keyId + "]"),
                Value.text("10,000 items", IntStream.range(0, 10_000).mapToObj(i -> keyId)
                        .collect(Collectors.joining(",", "[", "]"))));
    }

    // --- the request as it is sent --------------------------------------------------------------------------------

    private FuzzRequest build(Operation operation, Draft draft) {
        String path = operation.path();
        for (Map.Entry<String, String> parameter : draft.path.entrySet()) {
            path = path.replace("{" + parameter.getKey() + "}", parameter.getValue());
        }
        if (!draft.query.isEmpty()) {
            path += "?" + String.join("&", draft.query);
        }
        List<Header> headers = new ArrayList<>();
        if (draft.contentType != null) {
            headers.add(new Header("Content-Type", draft.contentType));
        }
        if (draft.accept != null) {
            headers.add(new Header("Accept", draft.accept));
        }
        headers.addAll(draft.headers);
        byte[] body = draft.method.equals("HEAD") ? null : draft.body();
        return new FuzzRequest(draft.kind, draft.method, path, draft.caller, headers, body, draft.chunked);
    }

    /** The body's members as a JSON object; a member whose fragment is null is left out ("missing"). */
    private static String render(Map<String, String> fields) {
        return fields.entrySet().stream().filter(field -> field.getValue() != null)
                .map(field -> quote(field.getKey()) + ":" + field.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String text) {
        return JSON.writeValueAsString(text);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Percent-encodes every byte of the UTF-8 form but the unreserved characters of RFC 3986. */
    static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "-._~".indexOf(c) >= 0;
            if (unreserved) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
