package keyquota.projections.key;

import keyquota.domain.InvalidValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** An opaque position in the key list, which is ordered by creation time and then key id. */
record KeyCursor(Instant createdAt, UUID keyId) {

    static KeyCursor after(KeyView key) {
        return new KeyCursor(key.createdAt(), key.keyId());
    }

    String encode() {
        String plain = createdAt.getEpochSecond() + "," + createdAt.getNano() + "," + keyId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static KeyCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(",");
            if (parts.length != 3) {
                throw new IllegalArgumentException();
            }
            return new KeyCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw new InvalidValue("cursor", "is not a cursor this service returned");
        }
    }
}
