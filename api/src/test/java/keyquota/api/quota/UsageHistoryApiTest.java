package keyquota.api.quota;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.assertInvalid;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.release;
import static keyquota.api.quota.Quotas.setMemberQuota;
import static keyquota.api.quota.Quotas.setProjectQuota;
import static keyquota.api.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Usage history: the hourly and daily series of usage, peak and quota, and the daily CSV report, checked against
 * an independent fold of what the test did, at the times the shared clock gave it.
 */
class UsageHistoryApiTest extends ApiTest {

    private static final List<String> RESOURCES = List.of("cpu", "gpu", "memory");
    private static final String PROJECT = "";

    private String projectId;
    private String admin;
    private String bob;
    private String ccsService;
    private Duration moved = Duration.ZERO;

    /** What the test did: every member's and the project's usage and quota after each change, by time. */
    private final TreeMap<Instant, Map<String, Map<String, long[]>>> states = new TreeMap<>();
    private final Map<String, Map<String, long[]>> current = new LinkedHashMap<>();

    @BeforeEach
    void project() {
        projectId = createProject();
        admin = longLivedKey("alice", "TENANT_ADMIN");
        bob = longLivedKey("bob", "TENANT_USER");
        addMember(projectId, "carol", "TENANT_USER");
        ccsService = Quotas.serviceKey(api, OPERATOR, "CCS");
        current.put(PROJECT, series(0));
        current.put("bob", series(-1));
        current.put("carol", series(-1));
        setProject(Map.of("cpu", 40L, "gpu", 8L, "memory", 400L));
    }

    /** The clock only moves forward while a test runs; afterwards it is back where it was, for other tests. */
    @AfterEach
    void restoreClock() {
        clock.advance(moved.negated());
    }

    /** A member key that outlives the month the tests move the clock through. */
    private String longLivedKey(String userId, String role) {
        addMember(projectId, userId, role);
        Api.Response created = api.post("/api/v1/projects/" + projectId + "/keys", OPERATOR,
                Api.json("userId", userId, "name", "history", "validDays", 365));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.text("key");
    }

    private static Map<String, long[]> series(long quota) {
        Map<String, long[]> series = new LinkedHashMap<>();
        RESOURCES.forEach(resource -> series.put(resource, new long[]{0, quota}));
        return series;
    }

    // ---- the script: each change is made through the API and recorded with the clock's time -------------------

    private void moveTo(Instant at) {
        Duration ahead = Duration.between(clock.instant(), at);
        if (!ahead.isNegative() && !ahead.isZero()) {
            clock.advance(ahead);
            moved = moved.plus(ahead);
        }
    }

    private void record() {
        Map<String, Map<String, long[]>> copy = new LinkedHashMap<>();
        current.forEach((user, series) -> {
            Map<String, long[]> values = new LinkedHashMap<>();
            series.forEach((resource, state) -> values.put(resource, state.clone()));
            copy.put(user, values);
        });
        states.put(clock.instant(), copy);
    }

    private void setProject(Map<String, Long> quota) {
        Api.Response set = setProjectQuota(api, OPERATOR, projectId, "CCS", quota);
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        quota.forEach((resource, value) -> current.get(PROJECT).get(resource)[1] = value);
        record();
    }

    private void setMember(String userId, Map<String, Long> quota) {
        Api.Response set = setMemberQuota(api, admin, projectId, "CCS", userId, "", quota);
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        quota.forEach((resource, value) -> current.get(userId).get(resource)[1] = value);
        record();
    }

    private final Map<String, Map<String, Long>> held = new LinkedHashMap<>();
    private final Map<String, String> holder = new HashMap<>();
    private int allocations;

    private void allocateFor(String userId, Map<String, Long> resources) {
        String allocationId = "h-" + ++allocations;
        Api.Response allocated = allocate(api, ccsService, projectId, "CCS", allocationId, userId, resources);
        assertThat(allocated.status()).as(allocated.raw()).isEqualTo(201);
        held.put(allocationId, resources);
        holder.put(allocationId, userId);
        resources.forEach((resource, amount) -> {
            current.get(userId).get(resource)[0] += amount;
            current.get(PROJECT).get(resource)[0] += amount;
        });
        record();
    }

    private void releaseOne(String allocationId) {
        Api.Response released = release(api, ccsService, projectId, "CCS", allocationId);
        assertThat(released.status()).as(released.raw()).isEqualTo(204);
        String userId = holder.remove(allocationId);
        held.remove(allocationId).forEach((resource, amount) -> {
            current.get(userId).get(resource)[0] -= amount;
            current.get(PROJECT).get(resource)[0] -= amount;
        });
        record();
    }

    /** What is left of the member's quota and the project's, for one resource. */
    private long room(String userId, String resource) {
        long[] member = current.get(userId).get(resource);
        long[] project = current.get(PROJECT).get(resource);
        long projectRoom = project[1] - project[0];
        return member[1] == -1 ? projectRoom : Math.min(projectRoom, member[1] - member[0]);
    }

    /** About one change every three hours for 30 days, at minutes 10-50 of their hours (none near a boundary). */
    private Instant scriptedMonth() {
        Instant start = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(2));
        Random random = new Random(20261207L);
        for (int hour = 0; hour < 30 * 24; hour++) {
            if (random.nextInt(3) != 0) {
                continue;
            }
            int changes = 1 + random.nextInt(3);
            for (int i = 0; i < changes; i++) {
                moveTo(start.plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(10 + 40L * i / changes
                        + random.nextInt(10))));
                String userId = random.nextBoolean() ? "bob" : "carol";
                int what = random.nextInt(10);
                if (what < 5) {
                    Map<String, Long> resources = new LinkedHashMap<>();
                    for (String resource : RESOURCES) {
                        long room = room(userId, resource);
                        resources.put(resource, room <= 0 ? 0 : (long) random.nextInt((int) Math.min(room, 6) + 1));
                    }
                    if (resources.values().stream().anyMatch(amount -> amount > 0)) {
                        allocateFor(userId, resources);
                    }
                } else if (what < 8 && !held.isEmpty()) {
                    List<String> ids = new ArrayList<>(held.keySet());
                    releaseOne(ids.get(random.nextInt(ids.size())));
                } else if (what < 9) {
                    String resource = RESOURCES.get(random.nextInt(RESOURCES.size()));
                    long[] member = current.get(userId).get(resource);
                    long quota = random.nextInt(4) == 0 ? -1
                            : Math.min(member[0] + random.nextInt(8), current.get(PROJECT).get(resource)[1]);
                    setMember(userId, Map.of(resource, quota));
                } else {
                    long highest = current.get(PROJECT).get("gpu")[0];
                    for (String member : List.of("bob", "carol")) {
                        highest = Math.max(highest, current.get(member).get("gpu")[1]);
                    }
                    setProject(Map.of("gpu", highest + random.nextInt(6)));
                }
            }
        }
        return start;
    }

    // ---- the independent fold ----------------------------------------------------------------------------------

    /** The state in force just before the instant (the initial state before anything was recorded). */
    private long[] before(String userId, String resource, Instant at) {
        Map.Entry<Instant, Map<String, Map<String, long[]>>> entry = states.lowerEntry(at);
        if (entry == null) {
            return new long[]{0, userId.equals(PROJECT) ? 0 : -1};
        }
        return entry.getValue().get(userId).get(resource);
    }

    /** {usage at the end, peak within, quota at the end} of the interval [from, to). */
    private long[] expected(String userId, String resource, Instant from, Instant to) {
        long[] start = before(userId, resource, from);
        long peak = start[0];
        for (Map<String, Map<String, long[]>> state : states.subMap(from, to).values()) {
            peak = Math.max(peak, state.get(userId).get(resource)[0]);
        }
        long[] end = before(userId, resource, to);
        return new long[]{end[0], peak, end[1]};
    }

    /** The usage integrated over [from, to), in resource-hours. */
    private double integral(String userId, String resource, Instant from, Instant to) {
        double seconds = 0;
        Instant at = from;
        long usage = before(userId, resource, from)[0];
        for (Map.Entry<Instant, Map<String, Map<String, long[]>>> change : states.subMap(from, to).entrySet()) {
            seconds += usage * Duration.between(at, change.getKey()).toNanos() / 1e9;
            at = change.getKey();
            usage = change.getValue().get(userId).get(resource)[0];
        }
        seconds += usage * Duration.between(at, to).toNanos() / 1e9;
        return seconds / 3600;
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    private String history(String query) {
        return Quotas.path(projectId, "CCS") + "/history?" + query;
    }

    private JsonNode historyOf(String key, Instant from, Instant to, String step, String userId) {
        Api.Response answer = api.get(history("from=" + from + "&to=" + to + "&step=" + step
                + (userId == null ? "" : "&userId=" + userId)), key);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer.body();
    }

    private record Csv(int status, String contentType, String body) {
    }

    private Csv csv(String key, String query) {
        return csv(key, query, "*/*");
    }

    private Csv csv(String key, String query, String accept) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(api.request(
                    Quotas.path(projectId, "CCS") + "/usage.csv?" + query, key).header("accept", accept).GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Csv(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertPoints(JsonNode answer, String userId, Instant from, Duration step, int count) {
        JsonNode points = answer.path("points");
        assertThat(points.size()).as("points from %s", from).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            JsonNode point = points.get(i);
            Instant at = from.plus(step.multipliedBy(i));
            assertThat(Instant.parse(point.path("at").asString())).isEqualTo(at);
            for (String resource : RESOURCES) {
                long[] expected = expected(userId, resource, at, at.plus(step));
                assertThat(new long[]{point.path("usage").path(resource).asLong(),
                        point.path("peak").path(resource).asLong(), point.path("quota").path(resource).asLong()})
                        .as("%s %s at %s: usage, peak, quota", userId.isEmpty() ? "project" : userId, resource, at)
                        .containsExactly(expected);
            }
        }
    }

    // ---- the tests ---------------------------------------------------------------------------------------------

    @Test
    void aScriptedMonthHourByHourAndDayByDay() {
        Instant start = scriptedMonth();
        assertThat(states.size()).as("changes made").isGreaterThan(150);
        Instant now = clock.instant();
        Instant from = start.minus(Duration.ofHours(1)).plusSeconds(1234); // rounded down to its hour
        Instant hourFrom = from.truncatedTo(ChronoUnit.HOURS);
        Instant to = now.plus(Duration.ofDays(2)); // points stop at now
        int hours = (int) Duration.between(hourFrom, now.truncatedTo(ChronoUnit.HOURS)).toHours() + 1;

        JsonNode project = historyOf(OPERATOR, from, to, "HOUR", null);
        assertThat(project.propertyNames()).containsExactlyInAnyOrder("service", "step", "points");
        assertThat(project.path("service").asString()).isEqualTo("CCS");
        assertThat(project.path("step").asString()).isEqualTo("HOUR");
        assertPoints(project, PROJECT, hourFrom, Duration.ofHours(1), hours);
        assertThat(project.path("points").get(0).path("quota").path("cpu").asLong())
                .as("the quota set before the range is carried into it").isEqualTo(40);

        for (String userId : List.of("bob", "carol")) {
            JsonNode member = historyOf(admin, from, to, "HOUR", userId);
            assertThat(member.path("userId").asString()).isEqualTo(userId);
            assertPoints(member, userId, hourFrom, Duration.ofHours(1), hours);
        }
        assertPoints(historyOf(bob, from, to, "HOUR", "bob"), "bob", hourFrom, Duration.ofHours(1), hours);

        Instant dayFrom = from.truncatedTo(ChronoUnit.DAYS);
        int days = (int) Duration.between(dayFrom, now.truncatedTo(ChronoUnit.DAYS)).toDays() + 1;
        JsonNode daily = historyOf(bob, from, to, "DAY", null);
        assertThat(daily.path("step").asString()).isEqualTo("DAY");
        assertPoints(daily, PROJECT, dayFrom, Duration.ofDays(1), days);
        assertPoints(historyOf(OPERATOR, from, to, "DAY", "carol"), "carol", dayFrom, Duration.ofDays(1), days);

        // the CSV: every day, member and resource with usage or a quota of its own
        LocalDate firstDay = LocalDate.ofInstant(dayFrom, ZoneOffset.UTC);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Csv report = csv(admin, "from=" + firstDay + "&to=" + today.plusDays(3));
        Instant asked = clock.instant();
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.contentType()).startsWith("text/csv");
        List<String> lines = report.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("date,userId,resource,peak,resourceHours,quota");
        List<String> expectedKeys = new ArrayList<>();
        for (LocalDate day = firstDay; !day.isAfter(today); day = day.plusDays(1)) {
            Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant dayEnd = day.equals(today) ? asked : dayStart.plus(Duration.ofDays(1));
            for (String userId : List.of("bob", "carol")) {
                for (String resource : RESOURCES) {
                    long[] state = expected(userId, resource, dayStart, dayEnd);
                    boolean hadQuota = before(userId, resource, dayStart)[1] != -1 || states.subMap(dayStart, dayEnd)
                            .values().stream().anyMatch(s -> s.get(userId).get(resource)[1] != -1);
                    if (state[1] > 0 || hadQuota) {
                        expectedKeys.add(day + "," + userId + "," + resource);
                    }
                }
            }
        }
        List<String> rows = lines.subList(1, lines.size());
        assertThat(rows.stream().map(row -> String.join(",", List.of(row.split(",")).subList(0, 3))).toList())
                .containsExactlyElementsOf(expectedKeys);
        for (int i = 0; i < rows.size(); i++) {
            String[] fields = rows.get(i).split(",", -1);
            assertThat(fields).hasSize(6);
            LocalDate day = LocalDate.parse(fields[0]);
            Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant dayEnd = day.equals(today) ? asked : dayStart.plus(Duration.ofDays(1));
            long[] state = expected(fields[1], fields[2], dayStart, dayEnd);
            assertThat(Long.parseLong(fields[3])).as(rows.get(i)).isEqualTo(state[1]);
            assertThat(Double.parseDouble(fields[4])).as(rows.get(i))
                    .isCloseTo(integral(fields[1], fields[2], dayStart, dayEnd), within(0.01));
            assertThat(Long.parseLong(fields[5])).as(rows.get(i)).isEqualTo(state[2]);
        }
    }

    @Test
    void emptyHoursCarryTheStateForwardAndNoPointLiesInTheFuture() {
        Instant start = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        moveTo(start.plus(Duration.ofMinutes(20)));
        allocateFor("bob", Map.of("gpu", 3L));
        moveTo(start.plus(Duration.ofMinutes(40)));
        allocateFor("bob", Map.of("gpu", 2L));
        releaseOne("h-2");
        moveTo(start.plus(Duration.ofHours(5)).plus(Duration.ofMinutes(30)));

        JsonNode answer = historyOf(bob, start, start.plus(Duration.ofDays(3)), "HOUR", "bob");
        JsonNode points = answer.path("points");
        assertThat(points.size()).as("up to the hour of now, not to the end of the range").isEqualTo(6);
        assertThat(points.get(0).path("usage").path("gpu").asLong()).isEqualTo(3);
        assertThat(points.get(0).path("peak").path("gpu").asLong()).isEqualTo(5);
        assertThat(points.get(0).path("quota").path("gpu").asLong()).as("no quota of bob's own").isEqualTo(-1);
        for (int i = 1; i < 6; i++) {
            assertThat(points.get(i).path("usage").path("gpu").asLong()).as("hour %s", i).isEqualTo(3);
            assertThat(points.get(i).path("peak").path("gpu").asLong()).as("hour %s", i).isEqualTo(3);
            assertThat(points.get(i).path("usage").path("cpu").asLong()).as("hour %s", i).isZero();
        }
        Instant last = Instant.parse(points.get(5).path("at").asString());
        assertThat(last).isBeforeOrEqualTo(clock.instant());

        JsonNode before = historyOf(OPERATOR, start.minus(Duration.ofDays(1)), start, "DAY", null);
        assertThat(before.path("points").size()).isBetween(1, 2);
        assertThat(before.path("points").get(0).path("usage").path("gpu").asLong()).isZero();
    }

    @Test
    void twoGpusHeldThreeHoursAreSixResourceHoursAndTodayCountsUpToNow() {
        Instant day = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        moveTo(day.plus(Duration.ofMinutes(70)));
        allocateFor("bob", Map.of("gpu", 2L));
        Instant allocated = states.lastKey();
        moveTo(allocated.plus(Duration.ofHours(3)));
        releaseOne("h-1");
        allocateFor("carol", Map.of("cpu", 4L));
        setMember("carol", Map.of("memory", 16L));
        moveTo(day.plus(Duration.ofHours(30))); // the next day, 06:00
        LocalDate first = LocalDate.ofInstant(day, ZoneOffset.UTC);

        Csv report = csv(OPERATOR, "from=" + first + "&to=" + first.plusDays(2));
        Instant asked = clock.instant();
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        Map<String, String[]> rows = new LinkedHashMap<>();
        report.body().lines().skip(1).forEach(line -> {
            String[] fields = line.split(",");
            rows.put(fields[0] + " " + fields[1] + " " + fields[2], fields);
        });
        assertThat(rows.keySet()).containsExactly(
                first + " bob gpu", first + " carol cpu", first + " carol memory",
                first.plusDays(1) + " carol cpu", first.plusDays(1) + " carol memory");
        String[] gpu = rows.get(first + " bob gpu");
        assertThat(gpu[3]).isEqualTo("2");
        assertThat(Double.parseDouble(gpu[4])).isCloseTo(6.0, within(0.001));
        assertThat(gpu[5]).as("no quota of bob's own").isEqualTo("-1");
        String[] cpuToday = rows.get(first.plusDays(1) + " carol cpu");
        double hoursToday = Duration.between(first.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), asked)
                .toMillis() / 3_600_000.0;
        assertThat(Double.parseDouble(cpuToday[4])).as("today up to now").isCloseTo(4 * hoursToday, within(0.01));
        assertThat(rows.get(first.plusDays(1) + " carol memory")).containsExactly(
                first.plusDays(1).toString(), "carol", "memory", "0", "0", "16");
    }

    @Test
    void membersAndTheOperatorReadTheHistoryTenantUsersOnlyTheirOwn() {
        Instant from = clock.instant().minus(Duration.ofHours(2));
        Instant to = clock.instant();
        String query = "from=" + from + "&to=" + to + "&step=HOUR";
        assertThat(api.get(history(query), bob).status()).isEqualTo(200);
        assertThat(api.get(history(query + "&userId=bob"), bob).status()).isEqualTo(200);
        assertProblem(api.get(history(query + "&userId=carol"), bob), 403, "FORBIDDEN");
        assertThat(api.get(history(query + "&userId=carol"), admin).status()).isEqualTo(200);
        assertThat(api.get(history(query + "&userId=carol"), OPERATOR).status()).isEqualTo(200);
        assertProblem(api.get(history(query), ccsService), 403, "FORBIDDEN");
        assertThat(api.get(history(query), null).status()).isEqualTo(401);

        String other = createProject();
        String outsider = memberKey(other, "dave", "TENANT_ADMIN");
        assertProblem(api.get(history(query), outsider), 404, "PROJECT_NOT_FOUND");
        assertProblem(api.get("/api/v1/projects/no-such-project/quotas/CCS/history?" + query, OPERATOR), 404,
                "PROJECT_NOT_FOUND");
        assertProblem(api.get(Quotas.path(projectId, "XYZ") + "/history?" + query, OPERATOR), 404,
                "SERVICE_NOT_FOUND");

        String dates = "from=" + LocalDate.now(clock).minusDays(1) + "&to=" + LocalDate.now(clock).plusDays(1);
        assertThat(csv(admin, dates).status()).isEqualTo(200);
        assertThat(csv(OPERATOR, dates).status()).isEqualTo(200);
        assertThat(csv(bob, dates).status()).isEqualTo(403);
        assertThat(csv(ccsService, dates).status()).isEqualTo(403);
        assertThat(csv(outsider, dates).status()).isEqualTo(404);
    }

    @Test
    void badInputIsValidationFailed() {
        Instant now = clock.instant();
        String from = "from=" + now.minus(Duration.ofDays(1));
        String to = "&to=" + now;
        assertInvalid(api.get(history(to.substring(1) + "&step=HOUR"), admin), "from");
        assertInvalid(api.get(history(from + "&step=HOUR"), admin), "to");
        assertInvalid(api.get(history(from + to), admin), "step");
        assertInvalid(api.get(history("from=yesterday" + to + "&step=HOUR"), admin), "from");
        assertInvalid(api.get(history(from + "&to=2026-13-01T00:00:00Z&step=HOUR"), admin), "to");
        assertInvalid(api.get(history(from + to + "&step=WEEK"), admin), "step");
        assertInvalid(api.get(history(from + to + "&step=hour"), admin), "step");
        assertInvalid(api.get(history("from=" + now + "&to=" + now + "&step=HOUR"), admin), "to");
        assertInvalid(api.get(history("from=" + now + "&to=" + now.minusSeconds(1) + "&step=HOUR"), admin), "to");
        assertInvalid(api.get(history("from=" + now.minus(Duration.ofDays(400)).minusSeconds(1) + to
                + "&step=DAY"), admin), "to");
        assertThat(api.get(history("from=" + now.minus(Duration.ofDays(400)) + to + "&step=DAY"), admin).status())
                .isEqualTo(200);
        assertInvalid(api.get(history(from + to + "&step=HOUR&userId=not%20a%20user"), admin), "userId");
        assertInvalid(api.get(history(from + to + "&step=HOUR&userId="), admin), "userId");

        for (String query : List.of("to=2026-12-02", "from=2026-12-01", "from=2026-12-01&to=2026-12-01",
                "from=2026-12-02&to=2026-12-01", "from=2025-01-01&to=2026-12-01", "from=12/01/2026&to=2026-12-02",
                "from=2026-12-01T00:00:00Z&to=2026-12-02")) {
            Csv refused = csv(admin, query);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.contentType()).as(query).startsWith("application/problem+json");
            assertThat(refused.body()).as(query).contains("\"VALIDATION_FAILED\"");
        }
        assertThat(csv(admin, "from=2025-11-26&to=2026-12-31").status()).as("400 days").isEqualTo(200);

        // a client that takes only CSV gets it, and its refusals as problem details all the same
        Csv onlyCsv = csv(admin, "from=2026-12-01&to=2026-12-02", "text/csv");
        assertThat(onlyCsv.status()).as(onlyCsv.body()).isEqualTo(200);
        assertThat(onlyCsv.body()).startsWith("date,userId,resource,peak,resourceHours,quota\n");
        Csv refused = csv(admin, "from=2026-12-02&to=2026-12-01", "text/csv");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(csv(admin, "from=2026-12-01&to=2026-12-02", "text/html").status()).isEqualTo(406);
        assertThat(api.send(api.request(history(from + to + "&step=HOUR"), admin).header("accept", "text/csv")
                .GET()).status()).as("the history is JSON only").isEqualTo(406);
    }
}
