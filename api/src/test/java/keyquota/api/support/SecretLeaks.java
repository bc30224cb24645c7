package keyquota.api.support;

import keyquota.application.secret.KeySecret;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Looks for key secrets where none may be: in every column of every table, and in the run's log. */
public final class SecretLeaks {

    /** The log of this test JVM's run (see logback-test.xml). */
    public static final Path RUN_LOG = Path.of("target/test-logs/" + System.getProperty("keyquota.test.log", "run")
            + ".log");

    /** A secret, in any text, lies inside a run of these characters; its 32 random characters are looked for. */
    private static final Pattern WORDS = Pattern.compile("[0-9A-Za-z_]{32,}");

    private SecretLeaks() {
    }

    /** The secrets whose 32 random characters appear in the text: with or without prefix and checksum. */
    public static List<String> leaksIn(String text, Set<String> secrets) {
        List<String> found = new ArrayList<>();
        Matcher words = WORDS.matcher(text);
        while (words.find()) {
            String word = words.group();
            for (String secret : secrets) {
                if (word.contains(secret.substring(3, 35))) {
                    found.add(secret);
                }
            }
        }
        return found;
    }

    /** Where a secret is stored, as "table.column holds kq_XXXX…XXXX". */
    public static List<String> inTables(Map<String, List<String>> texts, Set<String> secrets) {
        List<String> leaks = new ArrayList<>();
        texts.forEach((column, values) -> values.forEach(value -> leaksIn(value, secrets)
                .forEach(secret -> leaks.add(column + " holds " + KeySecret.parse(secret).map(KeySecret::masked)
                        .orElse(secret.substring(0, 7))))));
        return leaks;
    }

    /** Where a secret is logged, as "line N holds kq_XXXX…". */
    public static List<String> inLog(List<String> lines, Set<String> secrets) {
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String secret : leaksIn(lines.get(i), secrets)) {
                leaks.add("line " + (i + 1) + " holds " + secret.substring(0, 7) + "…");
            }
        }
        return leaks;
    }

    public static List<String> runLog() {
        try {
            return Files.readAllLines(RUN_LOG, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every value of every column of every table in schema public, as text, by "table.column". */
    public static Map<String, List<String>> everyValueOfEveryTable(JdbcClient jdbc) {
        Map<String, List<Map<String, Object>>> columnsByTable = jdbc.sql("""
                        SELECT table_name, column_name, data_type FROM information_schema.columns
                        WHERE table_schema = 'public' ORDER BY table_name, ordinal_position""")
                .query().listOfRows().stream()
                .collect(Collectors.groupingBy(row -> (String) row.get("table_name"), LinkedHashMap::new,
                        Collectors.toList()));
        Map<String, List<String>> texts = new LinkedHashMap<>();
        columnsByTable.forEach((table, columns) -> {
            List<String> names = columns.stream().map(c -> (String) c.get("column_name")).toList();
            String select = columns.stream().map(c -> {
                String column = quote((String) c.get("column_name"));
                // Bytes that are not UTF-8 (a console session's serialized attributes) come out escaped, text as is.
                return ("bytea".equals(c.get("data_type")) ? "encode(" + column + ", 'escape')" : column + "::text")
                        + " AS " + column;
            }).collect(Collectors.joining(", "));
            names.forEach(name -> texts.put(table + "." + name, new ArrayList<>()));
            jdbc.sql("SELECT " + select + " FROM " + quote(table)).query((rs, n) -> {
                for (int i = 0; i < names.size(); i++) {
                    String value = rs.getString(i + 1);
                    if (value != null) {
                        texts.get(table + "." + names.get(i)).add(value);
                    }
                }
                return n;
            }).list();
        });
        return texts;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
