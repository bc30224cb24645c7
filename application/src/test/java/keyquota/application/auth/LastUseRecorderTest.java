package keyquota.application.auth;

import keyquota.projections.key.KeyLastUse;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Last-used times are batched: many uses make one write per key per minute, of the right minute. */
class LastUseRecorderTest {

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-01T10:15:42Z"));
    private final RecordingStore store = new RecordingStore();
    private final LastUseRecorder recorder = new LastUseRecorder(store, clock);
    private final UUID key = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();

    @Test
    void manyUsesInAMinuteAreOneWriteOfThatMinute() {
        for (int i = 0; i < 1_000; i++) {
            recorder.noteUse(key, "CCS");
            clock.advance(Duration.ofMillis(10));
        }
        recorder.noteUse(other, "API");
        assertThat(store.batches).isEmpty();

        recorder.flush();

        assertThat(store.batches).hasSize(1);
        assertThat(store.batches.get(0)).containsExactlyInAnyOrder(
                new KeyLastUse.Use(key, Instant.parse("2026-12-01T10:15:00Z"), "CCS"),
                new KeyLastUse.Use(other, Instant.parse("2026-12-01T10:15:00Z"), "API"));
    }

    @Test
    void usesAgainInTheSameMinuteAreNotWrittenTwiceTheNextMinuteIs() {
        recorder.noteUse(key, "CCS");
        recorder.flush();
        recorder.noteUse(key, "VCS");
        recorder.flush();
        assertThat(writesOf(key)).hasSize(1);

        clock.advance(Duration.ofSeconds(30));
        recorder.noteUse(key, "VCS");
        recorder.flush();
        assertThat(writesOf(key)).containsExactly(
                new KeyLastUse.Use(key, Instant.parse("2026-12-01T10:15:00Z"), "CCS"),
                new KeyLastUse.Use(key, Instant.parse("2026-12-01T10:16:00Z"), "VCS"));
    }

    @Test
    void aFailedFlushKeepsTheUsesForTheNextOne() {
        recorder.noteUse(key, "CCS");
        store.failNext = true;
        recorder.flush();
        assertThat(writesOf(key)).isEmpty();

        recorder.flush();
        assertThat(writesOf(key)).containsExactly(
                new KeyLastUse.Use(key, Instant.parse("2026-12-01T10:15:00Z"), "CCS"));
    }

    @Test
    void nothingNotedWritesNothing() {
        recorder.flush();
        assertThat(store.batches).allSatisfy(batch -> assertThat(batch).isEmpty());
    }

    private List<KeyLastUse.Use> writesOf(UUID keyId) {
        return store.batches.stream().flatMap(Collection::stream).filter(use -> use.keyId().equals(keyId)).toList();
    }

    private static final class RecordingStore extends KeyLastUse {

        final List<List<KeyLastUse.Use>> batches = new ArrayList<>();
        boolean failNext;

        RecordingStore() {
            super(null);
        }

        @Override
        public void record(Collection<Use> uses) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("database away");
            }
            batches.add(List.copyOf(uses));
        }
    }

    private static final class MovingClock extends Clock {

        private Instant now;

        MovingClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
