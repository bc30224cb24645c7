package keyquota.application.notification;

import keyquota.projections.notification.NotificationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Warnings that come from time passing rather than from an event: a key's expiry 14, 7 and 1 days away, and its
 * expiry itself. Every node scans; each warning's cause (the key and the mark) is unique in the notifications
 * table, so the first insert is the claim and the others change nothing. No lock is held and no node is special:
 * a node that dies mid-scan leaves nothing half done, and the next scan on any node catches up.
 */
@Component
public class ExpiryWarnings {

    private static final Logger log = LoggerFactory.getLogger(ExpiryWarnings.class);

    private final NotificationStore notifications;
    private final Clock clock;

    public ExpiryWarnings(NotificationStore notifications, Clock clock) {
        this.notifications = notifications;
        this.clock = clock;
    }

    /** Often enough that each warning comes within the hour of its mark (a setting, every 10 minutes). */
    @Scheduled(fixedDelayString = "${keyquota.notifications.expiry-scan-interval:PT10M}")
    public void scan() {
        try {
            int made = notifications.addExpiryWarnings(clock.instant());
            if (made > 0) {
                log.info("{} expiry warnings made", made);
            }
        } catch (RuntimeException e) {
            log.warn("Expiry warnings not scanned, the next scan catches up: {}", e.toString());
        }
    }
}
