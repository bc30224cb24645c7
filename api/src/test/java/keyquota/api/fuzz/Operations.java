package keyquota.api.fuzz;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The operations an OpenAPI 3 description lists, with their parameters and request body schemas resolved. */
final class Operations {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");

    private Operations() {
    }

    /** A parameter in the path or the query, with its schema ({@code type}, {@code format}, bounds, enum). */
    record Parameter(String name, String in, boolean required, JsonNode schema) {

        String type() {
            return schema.path("type").asString("string");
        }

        String format() {
            return schema.path("format").asString("");
        }
    }

    /**
     * @param body the request body's JSON schema, with every {@code $ref} resolved; null when it takes none
     */
    record Operation(String method, String path, List<Parameter> parameters, JsonNode body) {

        List<Parameter> in(String location) {
            return parameters.stream().filter(parameter -> parameter.in().equals(location)).toList();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every operation of the description, ordered by path and method, so that a seed draws the same requests. */
    static List<Operation> of(JsonNode description) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : description.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!METHODS.contains(method.getKey())) {
                    continue;
                }
                JsonNode operation = method.getValue();
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode parameter : operation.path("parameters").values()) {
                    parameters.add(new Parameter(parameter.path("name").asString(), parameter.path("in").asString(),
                            parameter.path("required").asBoolean(false),
                            resolve(description, parameter.path("schema"))));
                }
                JsonNode content = operation.path("requestBody").path("content");
                JsonNode body = content.isMissingNode() || content.isEmpty() ? null
                        : resolve(description, content.values().iterator().next().path("schema"));
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), parameters,
                        body));
            }
        }
        operations.sort(Comparator.comparing(Operation::path).thenComparing(Operation::method));
        return operations;
    }

    /** The methods the description lists for a path. */
    static Set<String> methodsOf(List<Operation> operations, String path) {
        Set<String> methods = new TreeSet<>();
        operations.stream().filter(operation -> operation.path().equals(path))
                .forEach(operation -> methods.add(operation.method()));
        return methods;
    }

    /** The schema with every {@code $ref} in it replaced by what it points to (the description holds no cycles). */
    private static JsonNode resolve(JsonNode description, JsonNode schema) {
        if (schema.has("$ref")) {
            JsonNode target = description;
            for (String part : schema.path("$ref").asString().substring("#/".length()).split("/")) {
                target = target.path(part);
            }
            return resolve(description, target);
        }
        if (schema.isObject()) {
            ObjectNode resolved = JsonNodeFactory.instance.objectNode();
            schema.properties().forEach(member ->
                    resolved.set(member.getKey(), resolve(description, member.getValue())));
            return resolved;
        }
        if (schema.isArray()) {
            ArrayNode resolved = JsonNodeFactory.instance.arrayNode();
            schema.values().forEach(item -> resolved.add(resolve(description, item)));
            return resolved;
        }
        return schema;
    }
}
