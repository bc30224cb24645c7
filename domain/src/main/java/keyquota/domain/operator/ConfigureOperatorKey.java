package keyquota.domain.operator;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/**
 * Makes this key the platform operator's key.
 *
 * @param replaceExisting false for a key the service generated itself: it must not replace one that another
 *                        node configured or generated first
 */
public record ConfigureOperatorKey(UUID keyId, String keyHash, String maskedKey, boolean replaceExisting) {

    /** There is one operator key, so one aggregate; ':' keeps its id apart from every project id. */
    public static final String OPERATOR_KEY_ID = "operator:key";

    @TargetAggregateIdentifier
    public String operatorKeyId() {
        return OPERATOR_KEY_ID;
    }
}
