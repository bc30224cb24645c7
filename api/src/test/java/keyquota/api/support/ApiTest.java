package keyquota.api.support;

import keyquota.application.secret.KeySecret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of every HTTP integration test: one Spring context for the whole run, on a real PostgreSQL (embedded
 * by default; the standard SPRING_DATASOURCE_URL/USERNAME/PASSWORD select an external server). Tests isolate
 * themselves by working in projects of their own. After the last class, {@link LeakScanAtEnd} searches the run's
 * database and log for every secret handed out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// The tests call far faster than any client may; RateLimitTest turns the limit on in a context of its own.
@TestPropertySource(properties = "keyquota.rate-limit.enabled=false")
@Import({TestClockConfiguration.class, AuditFaultInjector.class})
@ExtendWith(LeakScanAtEnd.class)
public abstract class ApiTest {

    /** The operator key of the test run, configured as KEYQUOTA_BOOTSTRAP_KEY would be. */
    protected static final String OPERATOR = KeySecret.generate(new SecureRandom()).reveal();

    private static final AtomicInteger PROJECTS = new AtomicInteger();

    @LocalServerPort
    protected int port;

    @Autowired
    protected TestClock clock;

    protected Api api;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("keyquota.bootstrap-key", () -> OPERATOR);
        registry.add("keyquota.data-dir", () -> "target/test-data/" + UUID.randomUUID());
    }

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    /** A new project, unique in this run. */
    protected String createProject() {
        String projectId = "P" + PROJECTS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response response = api.post("/api/v1/projects", OPERATOR,
                Api.json("projectId", projectId, "name", "Project " + projectId));
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
        return projectId;
    }

    protected void addMember(String projectId, String userId, String role) {
        Api.Response response = api.put("/api/v1/projects/" + projectId + "/members/" + userId, OPERATOR,
                Api.json("role", role));
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
    }

    /** A key created by the operator for the member; returns the whole answer, secret included. */
    protected Api.Response createKey(String projectId, String userId) {
        Api.Response response = api.post("/api/v1/projects/" + projectId + "/keys", OPERATOR,
                Api.json("userId", userId, "name", "key of " + userId));
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
        return response;
    }

    /** The secret of a new key for the member. */
    protected String keyFor(String projectId, String userId) {
        return createKey(projectId, userId).text("key");
    }

    /** A project with a member of this role, returning the member's key. */
    protected String memberKey(String projectId, String userId, String role) {
        addMember(projectId, userId, role);
        return keyFor(projectId, userId);
    }
}
