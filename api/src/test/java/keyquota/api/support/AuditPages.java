package keyquota.api.support;

import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log as a client pages through it, on whichever node and with whichever client the test uses. */
public final class AuditPages {

    private AuditPages() {
    }

    /**
     * Every entry the query selects, 200 a page, following {@code nextCursor}; positions must strictly increase
     * across pages, so pages neither repeat nor go back.
     *
     * @param get answers a GET of the path it is given
     */
    public static List<JsonNode> all(String query, Function<String, Api.Response> get) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        long last = Long.MIN_VALUE;
        do {
            String path = "/api/v1/audit?limit=200" + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Api.Response page = get.apply(path);
            assertThat(page.status()).as("%s: %s", path, page.raw()).isEqualTo(200);
            for (JsonNode entry : page.body().path("entries").values()) {
                long position = entry.path("position").asLong();
                assertThat(position).as("audit positions strictly increase, no duplicate (%s after %d)", entry, last)
                        .isGreaterThan(last);
                last = position;
                entries.add(entry);
            }
            JsonNode next = page.body().path("nextCursor");
            cursor = next.isString() ? next.asString() : null;
        } while (cursor != null);
        return entries;
    }
}
