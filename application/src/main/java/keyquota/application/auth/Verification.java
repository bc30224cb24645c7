package keyquota.application.auth;

import keyquota.projections.key.KeyView;

/**
 * The outcome of checking a presented key.
 *
 * @param key       the key found, for every outcome but MALFORMED and NOT_FOUND
 * @param principal whom the key authenticates, when VALID
 */
public record Verification(Code code, KeyView key, Principal principal) {

    /** In the order they are checked: the first that applies is the answer. */
    public enum Code { MALFORMED, NOT_FOUND, REVOKED, EXPIRED, DISABLED, SERVICE_NOT_ALLOWED, IP_NOT_ALLOWED, VALID }

    public boolean valid() {
        return code == Code.VALID;
    }
}
