package keyquota.domain.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import java.time.Duration;
import java.time.Instant;

/**
 * Reads revision 1 of {@link KeyCreated}, which recorded {@code validDays}, as revision 2, which records the
 * absolute {@code expiresAt} = {@code createdAt} + {@code validDays}. Stored events of revision 1 that already
 * carry {@code expiresAt} keep it. It lives beside the event, so that whoever changes the event meets its past.
 */
public class KeyCreatedUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(KeyCreated.class.getName(), null);
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(KeyCreated.class.getName(), "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().equals(REVISION_1);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, payload -> {
            ObjectNode event = (ObjectNode) payload;
            if (!event.hasNonNull("expiresAt")) {
                Instant createdAt = Instant.parse(event.get("createdAt").asText());
                event.put("expiresAt", createdAt.plus(Duration.ofDays(event.get("validDays").asLong())).toString());
            }
            event.remove("validDays");
            return event;
        });
    }
}
