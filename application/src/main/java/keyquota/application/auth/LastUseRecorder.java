package keyquota.application.auth;

import keyquota.projections.key.KeyLastUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last-used times, kept off the hot path: a use is noted in memory (in the steady state, two map reads and no
 * write), and {@link #flush} writes the uses noted since in one batch, at most one write per key per minute on this
 * node. A node that dies loses the uses it noted since its last flush, nothing else; a failed flush keeps them for
 * the next one, and never fails a request.
 */
@Component
public class LastUseRecorder implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LastUseRecorder.class);

    private final KeyLastUse store;
    private final Clock clock;
    /** The newest use of each key noted since the last flush. */
    private final Map<UUID, KeyLastUse.Use> noted = new ConcurrentHashMap<>();
    /** The minute last written for each key, so that a key is written once a minute however often it is used. */
    private final Map<UUID, Instant> written = new ConcurrentHashMap<>();

    private final boolean enabled;

    public LastUseRecorder(KeyLastUse store, Clock clock) {
        this(store, clock, true);
    }

    /** @param enabled false (keyquota.last-used.enabled) notes nothing: for the benchmark's baseline */
    @Autowired
    public LastUseRecorder(KeyLastUse store, Clock clock,
                           @Value("${keyquota.last-used.enabled:true}") boolean enabled) {
        this.store = store;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** @param by the service the key was verified for, or {@code API} */
    public void noteUse(UUID keyId, String by) {
        if (!enabled) {
            return;
        }
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        KeyLastUse.Use use = new KeyLastUse.Use(keyId, minute, by);
        if (minute.equals(written.get(keyId)) || use.equals(noted.get(keyId))) {
            return;
        }
        noted.merge(keyId, use, LastUseRecorder::newest);
    }

    /** Writes what was noted since the last flush: every minute (a setting), and once more at shutdown. */
    @Scheduled(fixedDelayString = "${keyquota.last-used.flush-interval:PT1M}")
    public void flush() {
        List<KeyLastUse.Use> batch = new ArrayList<>();
        for (UUID keyId : noted.keySet()) {
            KeyLastUse.Use use = noted.remove(keyId);
            if (use != null && !use.at().equals(written.get(keyId))) {
                batch.add(use);
            }
        }
        try {
            store.record(batch);
        } catch (RuntimeException e) {
            batch.forEach(use -> noted.merge(use.keyId(), use, LastUseRecorder::newest));
            log.warn("Last-used times not written, kept for the next flush: {}", e.toString());
            return;
        }
        batch.forEach(use -> written.put(use.keyId(), use.at()));
        Instant thisMinute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        written.values().removeIf(minute -> minute.isBefore(thisMinute));
    }

    private static KeyLastUse.Use newest(KeyLastUse.Use a, KeyLastUse.Use b) {
        return b.at().isBefore(a.at()) ? a : b;
    }

    /** A node that stops writes what it noted: only one that dies loses its last minute. */
    @Override
    public void destroy() {
        flush();
    }
}
