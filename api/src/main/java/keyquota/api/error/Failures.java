package keyquota.api.error;

import keyquota.application.auth.Forbidden;
import keyquota.domain.DomainException;
import keyquota.domain.InvalidValue;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.Optional;

/**
 * The failures the service answers for by name, to the API and to the console alike: a rule's rejection, an
 * invalid value, a refusal, a lost race for an aggregate, an aggregate too busy to wait for.
 */
public final class Failures {

    private Failures() {
    }

    /** The first of those in the failure's chain of causes, however Axon or Spring wrapped it. */
    public static Optional<RuntimeException> known(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DomainException || cause instanceof InvalidValue || cause instanceof Forbidden
                    || cause instanceof ConcurrencyException || cause instanceof LockAcquisitionFailedException) {
                return Optional.of((RuntimeException) cause);
            }
        }
        return Optional.empty();
    }
}
