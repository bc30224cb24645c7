package keyquota.projections.audit;

import keyquota.domain.InvalidValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An opaque position in the audit log: the position of the last entry of the previous page. */
final class AuditCursor {

    private AuditCursor() {
    }

    static String encode(long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("audit:" + position).getBytes(StandardCharsets.US_ASCII));
    }

    static long decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!plain.startsWith("audit:")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(plain.substring("audit:".length()));
        } catch (RuntimeException e) {
            throw new InvalidValue("cursor", "is not a cursor this service returned");
        }
    }
}
