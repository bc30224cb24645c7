package keyquota.api.console;

import keyquota.api.FreeText;
import keyquota.domain.DomainException;
import keyquota.domain.InvalidValue;
import org.springframework.context.MessageSourceResolvable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A console form's errors, each a message key (and its arguments) shown next to its field in the viewer's language.
 * The form itself ({@link #FORM}) carries a rejection that belongs to no one field. Values are never echoed.
 */
public final class FormErrors {

    public static final String FORM = "form";

    /** A message key and its arguments; an argument may itself be a message (a role's name, say). */
    public record Message(String key, Object[] args) implements MessageSourceResolvable {

        @Override
        public String[] getCodes() {
            return new String[]{key};
        }

        @Override
        public Object[] getArguments() {
            return args;
        }
    }

    private final Map<String, Message> errors = new LinkedHashMap<>();

    public FormErrors reject(String field, String key, Object... args) {
        errors.putIfAbsent(field, new Message(key, args));
        return this;
    }

    /**
     * A rule's rejection: next to the field it names, or, for any other rejection, on the form (its message key is
     * {@code error.<code>}, with these arguments). Anything else is not a rejection and is thrown on.
     */
    public FormErrors reject(RuntimeException e, Object... args) {
        if (e instanceof InvalidValue invalid) {
            return reject(invalid.field(), "error.invalid");
        }
        if (e instanceof DomainException domain) {
            return reject(FORM, "error." + domain.code().name(), args);
        }
        throw e;
    }

    public boolean any() {
        return !errors.isEmpty();
    }

    public boolean has(String field) {
        return errors.containsKey(field);
    }

    public Message get(String field) {
        return errors.get(field);
    }

    /**
     * A name as the API takes it (at most 100 characters of free text), rejected next to its field otherwise;
     * blank is rejected only when the name is required.
     */
    public FormErrors name(String field, String typed, boolean required) {
        if (typed == null || typed.isBlank()) {
            if (required) {
                return reject(field, "error.required");
            }
            if (typed == null) {
                return this;
            }
        }
        if (typed.length() > FreeText.MAX_NAME_LENGTH) {
            return reject(field, "error.tooLong", FreeText.MAX_NAME_LENGTH);
        }
        return typed.matches(FreeText.PATTERN) ? this : reject(field, "error.invalid");
    }

    /**
     * A time typed into a {@code datetime-local} field in the viewer's zone ({@link ConsoleTimes#instantOf}), or null
     * when the field is blank or (rejected) holds no such time.
     */
    public Instant time(String field, String typed, String zone) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            return ConsoleTimes.instantOf(typed, zone);
        } catch (DateTimeParseException e) {
            reject(field, "error.dateTime");
            return null;
        }
    }

    /**
     * A whole number typed into a field, or empty with the field rejected. Blank gives {@code ifBlank} (null when it
     * is required).
     */
    public Optional<Integer> wholeNumber(String field, String typed, Integer ifBlank) {
        if (typed == null || typed.isBlank()) {
            if (ifBlank == null) {
                reject(field, "error.required");
            }
            return Optional.ofNullable(ifBlank);
        }
        try {
            return Optional.of(Integer.parseInt(typed.strip()));
        } catch (NumberFormatException e) {
            reject(field, "error.wholeNumber");
            return Optional.empty();
        }
    }
}
