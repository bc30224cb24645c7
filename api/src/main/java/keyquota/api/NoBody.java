package keyquota.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of an operation that takes none: it may be left out or be {@code {}}. Anything else (malformed JSON, a
 * field, another type) is 400 VALIDATION_FAILED before anything changes, as a body of any other operation is; a
 * handler that did not read the body would carry out a request the client wrote wrong.
 */
@Schema(description = "No fields: the body may be left out or be {}.", maxProperties = 0)
public record NoBody() {
}
