package keyquota.api.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's figures: each printed as it is measured, as
 * {@code name: value unit (baseline: value unit) ratio R (goal >= G)}, and all of them again in a summary table
 * at the end (also written as Markdown, for the README).
 */
final class Figures {

    /**
     * @param reference what the value is compared with: "baseline" (measured in the same run) or "limit"
     * @param comparison "ratio 0.42" or "added 3.1 ms"
     */
    record Figure(String name, String value, String reference, String referenceValue, String comparison,
                  String goal, boolean met) {

        String line() {
            return "%s: %s (%s: %s) %s (goal %s)%s".formatted(name, value, reference, referenceValue, comparison,
                    goal, met ? "" : "  << below goal");
        }
    }

    private final List<Figure> all = new ArrayList<>();

    /** value / baseline, or whichever way round makes higher better: the caller gives the ratio. */
    void ratio(String name, double value, String unit, double baseline, String baselineUnit, double ratio,
               double goal) {
        add(new Figure(name, number(value) + " " + unit, "baseline", number(baseline) + " " + baselineUnit,
                "ratio " + ratio(ratio), ">= " + number(goal), ratio >= goal));
    }

    /** A latency against the baseline's: what the path adds, at most {@code goal} ms. */
    void added(String name, double millis, double baselineMillis, double goal) {
        double added = millis - baselineMillis;
        add(new Figure(name, number(millis) + " ms", "baseline", number(baselineMillis) + " ms",
                "added " + number(added) + " ms", "<= " + number(goal) + " ms", added <= goal));
    }

    /** A rate against a measured bound (the ratio), whose goal is a rate of its own. */
    void rate(String name, double value, String unit, double baseline, String baselineUnit, double goal) {
        add(new Figure(name, number(value) + " " + unit, "baseline", number(baseline) + " " + baselineUnit,
                "ratio " + ratio(value / baseline), ">= " + number(goal) + " " + unit, value >= goal));
    }

    /** A duration, to stay under its goal. */
    void under(String name, double seconds, double goalSeconds) {
        add(new Figure(name, number(seconds) + " s", "limit", number(goalSeconds) + " s",
                "ratio " + ratio(seconds / goalSeconds), "< " + number(goalSeconds) + " s", seconds < goalSeconds));
    }

    /** A heap in use, to stay under the limit the process runs with. */
    void heap(String name, long bytes, long liveBytes, long limitBytes) {
        double mib = bytes / 1024.0 / 1024.0;
        double limit = limitBytes / 1024.0 / 1024.0;
        add(new Figure(name, number(mib) + " MiB, live " + number(liveBytes / 1024.0 / 1024.0) + " MiB", "limit",
                number(limit) + " MiB", "ratio " + ratio(mib / limit), "< " + number(limit) + " MiB",
                mib < limit));
    }

    /** A property the run also asserts, shown with what it was held against. */
    void check(String name, String value, String limit, String comparison, String goal, boolean met) {
        add(new Figure(name, value, "limit", limit, comparison, goal, met));
    }

    /** Context that has no goal: printed at once, not in the table. */
    static void note(String format, Object... arguments) {
        System.out.println("  " + String.format(Locale.ROOT, format, arguments));
        System.out.flush();
    }

    static void phase(String title) {
        System.out.println();
        System.out.println("== " + title);
        System.out.flush();
    }

    private void add(Figure figure) {
        all.add(figure);
        System.out.println(figure.line());
        System.out.flush();
    }

    /** Prints the table and writes it as Markdown to the file. */
    void summary(Path markdown) throws IOException {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"figure", "value", "baseline / limit", "ratio", "goal", "met"});
        for (Figure figure : all) {
            rows.add(new String[] {figure.name(), figure.value(), figure.referenceValue(), figure.comparison(),
                    figure.goal(), figure.met() ? "yes" : "no"});
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        });
        System.out.println();
        System.out.println("== Summary: " + all.stream().filter(Figure::met).count() + " of " + all.size()
                + " figures at their goal");
        List<String> markdownLines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.length; column++) {
                line.append(String.format("%-" + widths[column] + "s  ", row[column]));
            }
            System.out.println(line.toString().stripTrailing());
            markdownLines.add("| " + String.join(" | ", row) + " |");
            if (markdownLines.size() == 1) {
                markdownLines.add("|---".repeat(row.length) + "|");
            }
        }
        System.out.flush();
        Files.createDirectories(markdown.getParent());
        Files.write(markdown, markdownLines);
    }

    /** Few digits, as a reader takes in a figure that varies from run to run. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        String format = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, format, value);
    }

    /** Two decimals, or two significant digits for a ratio far below 1 (0.0042), which still tells how far. */
    private static String ratio(double ratio) {
        if (Math.abs(ratio) >= 0.1 || ratio == 0 || !Double.isFinite(ratio)) {
            return String.format(Locale.ROOT, "%.2f", ratio);
        }
        return new BigDecimal(ratio).round(new MathContext(2)).toPlainString();
    }
}
