package keyquota.projections.key;

import keyquota.domain.InvalidValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** An opaque position in the key list, which is ordered by creation time and then key id. */
record KeyCursor(Instant createdAt, UUID keyId) {

    /** Keys are created now; a cursor outside these years was not issued here (and PostgreSQL cannot hold it). */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

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
            Instant createdAt = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
                throw new IllegalArgumentException();
            }
            return new KeyCursor(createdAt, UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw new InvalidValue("cursor", "is not a cursor this service returned");
        }
    }
}
