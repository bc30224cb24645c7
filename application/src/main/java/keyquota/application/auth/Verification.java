package keyquota.application.auth;

import keyquota.projections.key.KeyView;

/**
 * The outcome of checking a presented key.
 *
 * @param key       the key found, for every outcome but MALFORMED and NOT_FOUND
 * @param principal whom the key authenticates, when VALID
 */
public record Verification(Code code, KeyView key, Principal principal) {

    public enum Code { VALID, MALFORMED, NOT_FOUND, EXPIRED, REVOKED }

    public boolean valid() {
        return code == Code.VALID;
    }
}
