package keyquota.application.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

class KeySecretTest {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String BODY = "kq_0123456789ABCDEFGHIJKLMNOPQRSTUV";
    private static final String SECRET = "kq_0123456789ABCDEFGHIJKLMNOPQRSTUV1R9xcn";

    private static String expectedChecksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        StringBuilder digits = new StringBuilder();
        while (value > 0) {
            digits.insert(0, ALPHABET.charAt((int) (value % 62)));
            value /= 62;
        }
        while (digits.length() < 6) {
            digits.insert(0, '0');
        }
        return digits.toString();
    }

    private static String withChecksum(String body) {
        return body + expectedChecksum(body);
    }

    private static String sha256Hex(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }

    @Test
    void theChecksumIsTheCrc32OfTheBodyInBase62MostSignificantDigitFirst() {
        assertThat(expectedChecksum(BODY)).isEqualTo("1R9xcn");
        assertThat(KeySecret.parse(SECRET)).hasValueSatisfying(secret -> assertThat(secret.reveal()).isEqualTo(SECRET));
    }

    @Test
    void theChecksumIsPaddedOnTheLeftWithZeros() {
        String body = "kq_Padding0000000000000000000000144";
        assertThat(expectedChecksum(body)).isEqualTo("006B0i");
        assertThat(KeySecret.parse(body + "006B0i")).isPresent();
        assertThat(KeySecret.parse(body + "6B0i00")).isEmpty();
    }

    @Test
    void aGeneratedSecretIsKqThirtyTwoRandomBase62CharactersAndTheirChecksum() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 500; i++) {
            String secret = KeySecret.generate(random).reveal();

            assertThat(secret).hasSize(41).matches("kq_[0-9A-Za-z]{38}");
            assertThat(secret.substring(35)).isEqualTo(expectedChecksum(secret.substring(0, 35)));
        }
        assertThat(KeySecret.LENGTH).isEqualTo(41);
    }

    @Test
    void aGeneratedSecretDrawsItsCharactersFromTheGivenRandomSource() {
        SecureRandom alwaysZero = new SecureRandom() {
            @Override
            public int nextInt(int bound) {
                return 0;
            }
        };

        assertThat(KeySecret.generate(alwaysZero).reveal()).isEqualTo("kq_00000000000000000000000000000000" + "3GQC4I");
    }

    @Test
    void generatedSecretsDiffer() {
        SecureRandom random = new SecureRandom();

        assertThat(KeySecret.generate(random).reveal()).isNotEqualTo(KeySecret.generate(random).reveal());
    }

    @Test
    void aGeneratedSecretIsAccepted() {
        KeySecret generated = KeySecret.generate(new SecureRandom());

        assertThat(KeySecret.parse(generated.reveal()))
                .hasValueSatisfying(parsed -> assertThat(parsed.reveal()).isEqualTo(generated.reveal()));
    }

    @Test
    void nullIsRejected() {
        assertThat(KeySecret.parse(null)).isEmpty();
    }

    @Test
    void aSecretOneCharacterShortIsRejected() {
        assertThat(KeySecret.parse(withChecksum(BODY.substring(0, 34)))).isEmpty();
    }

    @Test
    void aSecretOneCharacterLongIsRejected() {
        assertThat(KeySecret.parse(SECRET + "0")).isEmpty();
        assertThat(KeySecret.parse(withChecksum(BODY + "W"))).isEmpty();
    }

    @Test
    void theEmptyStringIsRejected() {
        assertThat(KeySecret.parse("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"KQ_", "kq-", "kx_", "qk_", "00_"})
    void aSecretWithAnotherPrefixIsRejectedEvenWithAMatchingChecksum(String prefix) {
        assertThat(KeySecret.parse(withChecksum(prefix + BODY.substring(3)))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(chars = {'_', '-', '+', '/', '=', ' ', '.', 'é'})
    void aSecretWithANonBase62CharacterIsRejectedEvenWithAMatchingChecksum(char outsider) {
        String body = BODY.substring(0, 20) + outsider + BODY.substring(21);
        String presented = withChecksum(body);

        assertThat(presented).hasSize(41);
        assertThat(KeySecret.parse(presented)).isEmpty();
    }

    @Test
    void aNonBase62CharacterInTheChecksumIsRejected() {
        assertThat(KeySecret.parse(SECRET.substring(0, 40) + "_")).isEmpty();
    }

    @Test
    void changingAnySingleCharacterOfTheBodyIsDetectedByTheChecksum() {
        for (int position = 3; position < 35; position++) {
            for (char replacement : ALPHABET.toCharArray()) {
                if (replacement == SECRET.charAt(position)) {
                    continue;
                }
                String tampered = SECRET.substring(0, position) + replacement + SECRET.substring(position + 1);

                assertThat(KeySecret.parse(tampered)).as("changed at %d to %s", position, replacement).isEmpty();
            }
        }
    }

    @Test
    void changingAnySingleCharacterOfTheChecksumIsRejected() {
        for (int position = 35; position < 41; position++) {
            char replacement = SECRET.charAt(position) == 'z' ? 'y' : 'z';
            String tampered = SECRET.substring(0, position) + replacement + SECRET.substring(position + 1);

            assertThat(KeySecret.parse(tampered)).as("changed at %d", position).isEmpty();
        }
    }

    @Test
    void theHashIsTheLowerCaseHexSha256OfTheSecret() throws Exception {
        KeySecret secret = KeySecret.parse(SECRET).orElseThrow();

        assertThat(secret.hash())
                .isEqualTo("258a242ab33aab0dd5d9b08e3421d18206da64d5b3c8c4aa4908cebfc41fbc56")
                .isEqualTo(sha256Hex(SECRET));
    }

    @Test
    void theHashOfAGeneratedSecretMatchesSha256() throws Exception {
        KeySecret secret = KeySecret.generate(new SecureRandom());

        assertThat(secret.hash()).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(sha256Hex(secret.reveal()));
    }

    @Test
    void theMaskedFormIsTheFirstSevenCharactersAnEllipsisAndTheLastFour() {
        KeySecret secret = KeySecret.parse(SECRET).orElseThrow();

        assertThat(secret.masked()).isEqualTo("kq_0123\u20269xcn");
    }

    @Test
    void toStringShowsTheMaskedFormAndNeverTheSecret() {
        KeySecret secret = KeySecret.parse(SECRET).orElseThrow();

        assertThat(secret.toString())
                .isEqualTo("kq_0123\u20269xcn")
                .doesNotContain(SECRET)
                .doesNotContain(SECRET.substring(7, 37));
    }
}
