package keyquota.api.support.node;

import keyquota.api.support.Api;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One keyquota node: a real {@code java -jar keyquota.jar} process, configured through its environment as an
 * operator would, with its output in a log file. Every process started here is killed when the test JVM exits,
 * however it exits.
 */
public final class ServiceNode {

    /** The longest a request may take; a node that does not answer within it is hanging. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern HEAP_LINE = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "kill-service-nodes"));
    }

    private final String name;
    private final int port;
    private final Path directory;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Process process;

    public ServiceNode(String name, Path directory) {
        this.name = name;
        this.port = NodeDatabase.freePort();
        this.directory = directory.toAbsolutePath();
        this.log = this.directory.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public int port() {
        return port;
    }

    /** Starts the process on the database with the operator key; returns once it has been launched. */
    public void start(NodeDatabase database, String operatorKey) throws IOException {
        start(database, operatorKey, Map.of());
    }

    /**
     * As {@link #start(NodeDatabase, String)}, with these settings (environment variables) too.
     *
     * @param database null for none: the node runs the embedded PostgreSQL of its own, as it does by default
     */
    public void start(NodeDatabase database, String operatorKey, Map<String, String> settings) throws IOException {
        Path dataDir = directory.resolve(name + "-data");
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m"));
        // e.g. -Dkeyquota.node.jvmArgs=-XX:StartFlightRecording=filename=node.jfr,settings=profile to profile a node
        String extra = System.getProperty("keyquota.node.jvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        // whatever database the test run itself may have been pointed at, these nodes use this one
        env.keySet().removeIf(variable -> variable.startsWith("SPRING_DATASOURCE_"));
        if (database != null) {
            env.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
            env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        }
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("KEYQUOTA_BOOTSTRAP_KEY", operatorKey);
        env.put("KEYQUOTA_DATA_DIR", dataDir.toString());
        // The load comes from the operator key; a per-key rate limit (where the service has one) is not under test.
        env.put("KEYQUOTA_RATE_LIMIT_ENABLED", "false");
        env.putAll(settings);
        process = builder.start();
        RUNNING.add(process);
    }

    /** Waits until the readiness probe says UP; fails with the log's tail if it never does or the process ends. */
    public void awaitReady(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready\n"
                        + tail(80));
            }
            try {
                HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = readiness.statusCode() + " " + readiness.body();
                if (readiness.statusCode() == 200 && readiness.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " not ready within " + atMost + " (last readiness answer: " + last + ")\n"
                + tail(80));
    }

    /** SIGKILL on Linux (Process.destroyForcibly): the node gets no chance to finish anything. */
    public void kill() throws InterruptedException {
        Process running = process;
        running.destroyForcibly();
        if (!running.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still running 30 s after SIGKILL");
        }
        RUNNING.remove(running);
        // 128 + 9: the process died of SIGKILL, not of a shutdown it could act on
        if (running.exitValue() != 137) {
            throw new AssertionError(name + " ended with " + running.exitValue() + ", not by SIGKILL (137)");
        }
    }

    /** SIGTERM on Linux (Process.destroy), as an orchestrator stops a node; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code, or fails if it still runs after {@code atMost}. */
    public int awaitExit(Duration atMost) throws InterruptedException {
        Process running = process;
        if (!running.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running " + atMost + " after it was told to stop\n" + tail(40));
        }
        RUNNING.remove(running);
        return running.exitValue();
    }

    /** The process id of the running node: Axon's token claims name their owner by it ({@code pid@host}). */
    public long pid() {
        return process.pid();
    }

    /** Stops the node if it runs: SIGTERM, then SIGKILL when it has not ended within 20 s. */
    public void stop() throws InterruptedException {
        Process running = process;
        if (running == null) {
            return;
        }
        if (running.isAlive()) {
            running.destroy();
            if (!running.waitFor(20, TimeUnit.SECONDS)) {
                running.destroyForcibly();
                running.waitFor(30, TimeUnit.SECONDS);
            }
        }
        RUNNING.remove(running);
    }

    /**
     * The heap the node's JVM uses, in bytes, as {@code jcmd <pid> GC.heap_info} (the jcmd next to the java that
     * runs the node) reports it; after a full collection ({@code GC.run}) when {@code liveOnly}, so only what is
     * still reachable.
     */
    public long heapUsed(boolean liveOnly) throws IOException, InterruptedException {
        if (liveOnly) {
            jcmd("GC.run");
        }
        // a heap line: "garbage-first heap   total 262144K, used 85432K [...": one per generation for some collectors
        long used = 0;
        for (String line : jcmd("GC.heap_info").lines().toList()) {
            Matcher heap = HEAP_LINE.matcher(line);
            if (heap.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                used += Long.parseLong(heap.group(1)) * 1024;
            }
        }
        if (used == 0) {
            throw new IllegalStateException("no heap figure from jcmd GC.heap_info on " + this);
        }
        return used;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(java()).resolveSibling("jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
            throw new IllegalStateException(jcmd + " " + command + " on " + this + " failed: " + output);
        }
        return output;
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /**
     * One request, answered or not: an IOException (refused, reset, timed out) means no answer came. The body is
     * parsed leniently, so that an answer that is not JSON is still shown as it came.
     */
    public Api.Response send(String method, String path, String key, String json) throws IOException {
        return send(method, path, key, json, Map.of());
    }

    /** As {@link #send(String, String, String, String)}, with these headers too. */
    public Api.Response send(String method, String path, String key, String json, Map<String, String> headers)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
        headers.forEach(request::header);
        if (key != null) {
            request.header("x-api-key", key);
        }
        if (json != null) {
            request.header("content-type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body() == null ? "" : response.body();
            JsonNode body;
            try {
                body = raw.isBlank() ? JSON.missingNode() : JSON.readTree(raw);
            } catch (RuntimeException notJson) {
                body = JSON.missingNode();
            }
            return new Api.Response(response.statusCode(),
                    response.headers().firstValue("content-type").orElse(""), body, raw);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The last lines of the node's output. */
    public String tail(int lines) {
        return tail(log, lines);
    }

    /** The last lines of a log file, with a header naming it. */
    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log at " + file + ")";
            }
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return "----- last " + last.size() + " lines of " + file + " -----\n" + String.join("\n", last);
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + ")";
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** The packaged service; failsafe runs in the api module, a run from the root has it under api/. */
    public static Path jar() {
        for (Path candidate : List.of(Path.of("target", "keyquota.jar"), Path.of("api", "target", "keyquota.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("No target/keyquota.jar under " + Path.of("").toAbsolutePath()
                + ": these tests run after the package phase (mvn verify)");
    }

    /** The java of the test JVM itself. */
    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
