package keyquota.api.console.quota;

import keyquota.domain.quota.QuotaPolicy;
import keyquota.projections.quota.UsageHistory;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One resource's daily usage history drawn as inline SVG paths (the console's CSP allows no script to draw it), and
 * the figures behind it for a table.
 *
 * @param usagePath the peak of each day, in a {@link #WIDTH} x {@link #HEIGHT} view box
 * @param quotaPath the quota in force at the end of each day, broken where it was unlimited
 * @param top       the value at the top of the chart
 */
public record UsageChart(String resource, String usagePath, String quotaPath, long top, long peak, List<Day> days) {

    static final int WIDTH = 300;
    static final int HEIGHT = 100;

    /** @param quota -1 for unlimited */
    public record Day(LocalDate date, long usage, long peak, long quota) {

        public boolean unlimited() {
            return quota == QuotaPolicy.UNLIMITED;
        }
    }

    static UsageChart of(String resource, List<UsageHistory.Point> points) {
        List<Day> days = new ArrayList<>();
        long peak = 0;
        long top = 1;
        for (UsageHistory.Point point : points) {
            Day day = new Day(LocalDate.ofInstant(point.at(), ZoneOffset.UTC), point.usage().get(resource),
                    point.peak().get(resource), point.quota().get(resource));
            days.add(day);
            peak = Math.max(peak, day.peak());
            top = Math.max(top, Math.max(day.peak(), day.quota()));
        }
        StringBuilder usage = new StringBuilder();
        StringBuilder quota = new StringBuilder();
        boolean quotaDrawn = false;
        for (int i = 0; i < days.size(); i++) {
            double x = days.size() == 1 ? WIDTH / 2.0 : (double) WIDTH * i / (days.size() - 1);
            usage.append(i == 0 ? "M" : " L").append(point(x, days.get(i).peak(), top));
            if (days.get(i).unlimited()) {
                quotaDrawn = false;
            } else {
                quota.append(quota.isEmpty() ? "" : " ").append(quotaDrawn ? "L" : "M")
                        .append(point(x, days.get(i).quota(), top));
                quotaDrawn = true;
            }
        }
        return new UsageChart(resource, usage.toString(), quota.toString(), top, peak, days);
    }

    private static String point(double x, long value, long top) {
        return String.format(Locale.ROOT, "%.1f %.1f", x, HEIGHT - (double) HEIGHT * value / top);
    }
}
