package keyquota.api.console;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times as pages show them: written in UTC, which console.js turns into the viewer's own time zone, keeping UTC in
 * the title (shown on hover). Templates reach it as {@code @consoleTimes}.
 */
@Component
public class ConsoleTimes {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    public ConsoleTimes(Clock clock) {
        this.clock = clock;
    }

    public String utc(Instant time) {
        return time == null ? "" : UTC.format(time);
    }

    public String iso(Instant time) {
        return time == null ? "" : DateTimeFormatter.ISO_INSTANT.format(time);
    }

    /** Days from now until then, to the nearest day (a key made for 30 days shows 30); negative once passed. */
    public long daysUntil(Instant time) {
        return Math.round(Duration.between(clock.instant(), time).toMinutes() / (24 * 60.0));
    }

    /**
     * A time typed into a {@code datetime-local} field, in the viewer's time zone (console.js sends it; UTC when it
     * could not).
     *
     * @throws DateTimeParseException when it is not such a time
     */
    public static Instant instantOf(String local, String zone) {
        return LocalDateTime.parse(local.strip()).atZone(zoneOf(zone)).toInstant();
    }

    private static ZoneId zoneOf(String zone) {
        try {
            return zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    public Instant now() {
        return clock.instant();
    }
}
