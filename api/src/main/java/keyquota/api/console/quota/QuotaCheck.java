package keyquota.api.console.quota;

import keyquota.api.console.FormErrors;
import keyquota.domain.quota.QuotaPolicy;
import keyquota.domain.quota.Range;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the quota rules say about the values in an edit quota dialog, from dry runs of the command: per resource,
 * the acceptable range; refusals that nothing overrides (next to their field, in {@link #errors()}); and warnings,
 * refusals that force would override (a quota below usage).
 */
public final class QuotaCheck {

    private final Map<String, Range> acceptable;
    private final FormErrors errors;
    private final Map<String, FormErrors.Message> warnings = new LinkedHashMap<>();

    QuotaCheck(Map<String, Range> acceptable, FormErrors errors) {
        this.acceptable = acceptable;
        this.errors = errors;
    }

    void warn(String resource, String key, Object... args) {
        warnings.putIfAbsent(resource, new FormErrors.Message(key, args));
    }

    public FormErrors errors() {
        return errors;
    }

    public boolean warned(String resource) {
        return warnings.containsKey(resource) && !errors.has(resource);
    }

    public FormErrors.Message warning(String resource) {
        return warnings.get(resource);
    }

    /** Some value is refused only until force is given. */
    public boolean forceNeeded() {
        return warnings.keySet().stream().anyMatch(this::warned);
    }

    /** The message key and arguments saying which values this resource may take. */
    public FormErrors.Message range(String resource, boolean member) {
        Range range = acceptable.get(resource);
        if (!member) {
            return new FormErrors.Message("quotas.range.project", new Object[]{range.min()});
        }
        if (range.max() == QuotaPolicy.UNLIMITED) {
            return new FormErrors.Message("quotas.range.memberNoMax", new Object[]{range.min()});
        }
        if (range.min() > range.max()) {
            // usage above a project quota lowered with force: no finite member quota fits without force
            return new FormErrors.Message("quotas.range.memberOnlyNoCap", new Object[]{range.max()});
        }
        return new FormErrors.Message("quotas.range.member", new Object[]{range.min(), range.max()});
    }
}
