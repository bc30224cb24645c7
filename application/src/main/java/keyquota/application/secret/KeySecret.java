package keyquota.application.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A key's secret: {@code kq_}, 32 random base62 characters, and 6 base62 characters of the CRC32 of the first 35.
 * The checksum lets a mistyped or made-up key be refused without a database read. Only {@link #hash()} and
 * {@link #masked()} are ever stored; {@link #toString()} shows the masked form so a secret cannot leak into a log.
 */
public final class KeySecret {

    private static final String PREFIX = "kq_";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int RANDOM_LENGTH = 32;
    private static final int CHECKSUM_LENGTH = 6;
    private static final int BODY_LENGTH = PREFIX.length() + RANDOM_LENGTH;
    public static final int LENGTH = BODY_LENGTH + CHECKSUM_LENGTH;

    private final String value;

    private KeySecret(String value) {
        this.value = value;
    }

    public static KeySecret generate(SecureRandom random) {
        StringBuilder body = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            body.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return new KeySecret(body + checksum(body.toString()));
    }

    /** The presented text as a secret, if it has the format and a matching checksum. */
    public static Optional<KeySecret> parse(String presented) {
        if (presented == null || presented.length() != LENGTH || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (BASE62.indexOf(presented.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String body = presented.substring(0, BODY_LENGTH);
        if (!checksum(body).equals(presented.substring(BODY_LENGTH))) {
            return Optional.empty();
        }
        return Optional.of(new KeySecret(presented));
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long remaining = crc.getValue();
        char[] digits = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (remaining % BASE62.length()));
            remaining /= BASE62.length();
        }
        return new String(digits);
    }

    /** The secret itself: for the one response that creates the key, and nothing else. */
    public String reveal() {
        return value;
    }

    /** Lower-case hex SHA-256 of the secret: how a key is found when presented. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The display form: the first 7 characters, an ellipsis and the last 4. */
    public String masked() {
        return value.substring(0, 7) + "…" + value.substring(LENGTH - 4);
    }

    @Override
    public String toString() {
        return masked();
    }
}
