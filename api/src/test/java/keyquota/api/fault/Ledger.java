package keyquota.api.fault;

import keyquota.api.support.Api;
import keyquota.api.support.node.ServiceNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every command the load sent, every answer it got, and what the client may therefore believe: what was
 * acknowledged (2xx), what was refused (a 4xx, or a 503 while the database was certainly away: nothing changed)
 * and what is unknown (no answer came, so it may or may not have happened). Times are milliseconds since the
 * ledger was made, on one monotonic clock.
 */
final class Ledger {

    enum Op { CREATE_KEY, DELETE_KEY, ALLOCATE, RELEASE }

    enum Outcome { ACKNOWLEDGED, REFUSED, UNKNOWN }

    /** One request and its answer; status -1 when no answer came ({@code error} says why). */
    record Answer(Op op, String target, String node, long startedAt, long endedAt, int status, String code,
                  String contentType, String body, String error) {

        boolean answered() {
            return status >= 0;
        }

        boolean acknowledged() {
            return status >= 200 && status < 300;
        }

        boolean isUnavailable() {
            return status == 503 && "UNAVAILABLE".equals(code) && contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            String what = (op == null ? "check" : op) + " " + target + " on " + node
                    + " [" + startedAt + ".." + endedAt + " ms]: ";
            return what + (answered() ? status + " " + contentType + " " + abbreviate(body) : "no answer: " + error);
        }
    }

    /** An allocation as the load sent it; the same id and body again is idempotent. */
    record Allocation(String userId, int cpu) {
    }

    /** What a 503 UNAVAILABLE means at the moment it came: allowed at all, and certainly a refusal. */
    interface Unavailability {
        Unavailability NEVER = new Unavailability() {
            @Override
            public boolean allowed(Answer answer) {
                return false;
            }

            @Override
            public boolean certainlyRefused(Answer answer) {
                return false;
            }
        };

        boolean allowed(Answer answer);

        /** The database was away for the whole request, so nothing can have been written. */
        boolean certainlyRefused(Answer answer);
    }

    private final long origin = System.nanoTime();
    private final Unavailability unavailability;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Queue<Answer> unexpected = new ConcurrentLinkedQueue<>();

    /** Acknowledged key creations: key id to owner. */
    final Map<String, String> keys = new ConcurrentHashMap<>();
    final Set<String> deletedKeys = ConcurrentHashMap.newKeySet();
    final Map<String, Allocation> allocations = new ConcurrentHashMap<>();
    final Set<String> releasedAllocations = ConcurrentHashMap.newKeySet();

    final AtomicInteger unknownKeyCreations = new AtomicInteger();
    final Set<String> unknownDeletions = ConcurrentHashMap.newKeySet();
    final Map<String, Allocation> unknownAllocations = new ConcurrentHashMap<>();
    final Set<String> unknownReleases = ConcurrentHashMap.newKeySet();

    final Set<String> refusedDeletions = ConcurrentHashMap.newKeySet();
    final Set<String> refusedAllocations = ConcurrentHashMap.newKeySet();
    final Set<String> refusedReleases = ConcurrentHashMap.newKeySet();

    Ledger(Unavailability unavailability) {
        this.unavailability = unavailability;
    }

    long now() {
        return (System.nanoTime() - origin) / 1_000_000;
    }

    /** An answer and what the client may believe of its command. */
    record Result(Outcome outcome, Api.Response response) {
    }

    /**
     * Sends the command, records the answer, and says what it means. An answer the contract does not allow is
     * also kept as unexpected (and taken as unknown).
     */
    Result send(ServiceNode node, Op op, String target, String method, String path, String key, String json) {
        long started = now();
        Answer answer;
        Api.Response response = null;
        try {
            response = node.send(method, path, key, json);
            answer = new Answer(op, target, node.name(), started, now(), response.status(), response.code(),
                    response.contentType(), response.raw(), null);
        } catch (IOException e) {
            answer = new Answer(op, target, node.name(), started, now(), -1, null, "", null, e.toString());
        }
        answers.add(answer);
        return new Result(classify(answer), response);
    }

    private Outcome classify(Answer answer) {
        if (!answer.answered()) {
            return Outcome.UNKNOWN;
        }
        if (answer.status() == expectedSuccess(answer.op())) {
            return Outcome.ACKNOWLEDGED;
        }
        if (answer.status() == 409 && answer.contentType().startsWith("application/problem+json")
                && refusals(answer.op()).contains(answer.code())) {
            return Outcome.REFUSED;
        }
        if (answer.isUnavailable() && unavailability.allowed(answer)) {
            return unavailability.certainlyRefused(answer) ? Outcome.REFUSED : Outcome.UNKNOWN;
        }
        unexpected.add(answer);
        return Outcome.UNKNOWN;
    }

    private static int expectedSuccess(Op op) {
        return switch (op) {
            case CREATE_KEY, ALLOCATE -> 201;
            case DELETE_KEY, RELEASE -> 204;
        };
    }

    /** The refusals the contract allows for these commands here: big quotas, at most 4 keys per member. */
    private static Set<String> refusals(Op op) {
        // KEY_LIMIT_REACHED: a creation whose answer was lost may have taken a place.
        return op == Op.CREATE_KEY ? Set.of("KEY_LIMIT_REACHED", "CONCURRENT_MODIFICATION")
                : Set.of("CONCURRENT_MODIFICATION");
    }

    /** A request of the checks after the load (not a load command): recorded for the "never 500" rule. */
    Api.Response check(ServiceNode node, String method, String path, String key, String json) {
        long started = now();
        try {
            Api.Response response = node.send(method, path, key, json);
            answers.add(new Answer(null, path, node.name(), started, now(), response.status(), response.code(),
                    response.contentType(), response.raw(), null));
            return response;
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " on " + node + ": no answer", e);
        }
    }

    List<Answer> answers(Predicate<Answer> which) {
        return answers.stream().filter(which).toList();
    }

    List<Answer> unexpected() {
        return new ArrayList<>(unexpected);
    }

    long acknowledged() {
        return answers.stream().filter(answer -> answer.op() != null && answer.acknowledged()).count();
    }

    /** Acknowledged allocations not acknowledged released: what the usage must add up to. */
    Map<String, Allocation> liveAllocations() {
        return allocations.entrySet().stream().filter(entry -> !releasedAllocations.contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    String summary() {
        List<Answer> commands = answers(answer -> answer.op() != null);
        Map<String, Long> statuses = commands.stream()
                .collect(Collectors.groupingBy(answer -> answer.op() + " " + (answer.answered()
                        ? answer.status() + (answer.code().isEmpty() ? "" : " " + answer.code()) : "no answer"),
                        TreeMap::new, Collectors.counting()));
        List<Long> latencies = commands.stream().map(answer -> answer.endedAt() - answer.startedAt()).sorted()
                .toList();
        String latency = latencies.isEmpty() ? "" : "; latency ms p50 " + latencies.get(latencies.size() / 2)
                + ", p99 " + latencies.get(latencies.size() * 99 / 100)
                + ", max " + latencies.get(latencies.size() - 1);
        return "answers " + statuses + latency
                + "; acknowledged: " + keys.size() + " key creations, " + deletedKeys.size() + " deletions, "
                + allocations.size() + " allocations, " + releasedAllocations.size() + " releases"
                + "; unknown: " + unknownKeyCreations + " creations, " + unknownDeletions.size() + " deletions, "
                + unknownAllocations.size() + " allocations, " + unknownReleases.size() + " releases";
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 600 ? text : text.substring(0, 600) + "…";
    }

    /** At most 30 of the items on one line, with how many there are. */
    static String inline(Collection<?> items) {
        return items.size() + ": [" + items.stream().limit(30).map(String::valueOf).collect(Collectors.joining(", "))
                + (items.size() > 30 ? ", …]" : "]");
    }

    /** At most 30 of the items, one a line, with how many there are. */
    static String list(Collection<?> items) {
        return items.size() + ":\n  " + items.stream().limit(30).map(String::valueOf)
                .collect(Collectors.joining("\n  ")) + (items.size() > 30 ? "\n  …" : "");
    }
}
