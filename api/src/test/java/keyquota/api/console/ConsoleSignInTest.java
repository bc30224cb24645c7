package keyquota.api.console;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in to the console with a key, the session that follows, and what protects it. */
class ConsoleSignInTest extends ApiTest {

    @Autowired
    JdbcClient jdbc;

    private String projectId;
    private ConsoleClient browser;

    @BeforeEach
    void project() {
        projectId = createProject();
        browser = new ConsoleClient(port);
    }

    @Test
    void aMemberSignsInAndLandsOnTheirProjectsKeys() {
        String key = memberKey(projectId, "alice", "TENANT_USER");
        ConsoleClient.Page answer = browser.signIn(key);
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.location()).endsWith("/");
        String cookie = answer.header("set-cookie");
        assertThat(cookie).startsWith(ConsoleWebConfiguration.SESSION_COOKIE + "=").contains("HttpOnly")
                .contains("SameSite=Lax").doesNotContain("Secure");
        assertThat(browser.get("/").location()).endsWith("/projects/" + projectId + "/keys");
        ConsoleClient.Page keys = browser.get("/projects/" + projectId + "/keys");
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.body()).contains("alice (tenant user, project " + projectId + ")");
    }

    @Test
    void theOperatorLandsOnTheProjects() {
        browser.signIn(OPERATOR);
        assertThat(browser.get("/").location()).endsWith("/projects");
    }

    @Test
    void theSessionKeepsTheKeyIdNeverTheSecret() {
        String key = memberKey(projectId, "alice", "TENANT_USER");
        browser.signIn(key);
        assertThat(browser.get("/projects/" + projectId + "/keys").status()).isEqualTo(200);
        String attributes = jdbc.sql("""
                        SELECT string_agg(attribute_name || ' ' || encode(attribute_bytes, 'escape'), ' ')
                        FROM spring_session_attributes""")
                .query(String.class).single();
        assertThat(attributes).contains("keyquota.console.keyId").doesNotContain(key);
    }

    @Test
    void keysThatCannotSignInAreRefusedWithTheReason() {
        assertThat(browser.signIn("").location()).endsWith("/sign-in?error=EMPTY");
        assertThat(browser.signIn("not a key").location()).endsWith("/sign-in?error=MALFORMED");
        String unknown = keyquota.application.secret.KeySecret.generate(new java.security.SecureRandom()).reveal();
        assertThat(browser.signIn(unknown).location()).endsWith("/sign-in?error=NOT_FOUND");
        Api.Response service = api.post("/api/v1/service-keys", OPERATOR, Api.json("name", "ccs", "service", "CCS"));
        assertThat(service.status()).as(service.raw()).isEqualTo(201);
        assertThat(browser.signIn(service.text("key")).location()).endsWith("/sign-in?error=SERVICE_KEY");
        ConsoleClient.Page page = browser.get("/sign-in?error=SERVICE_KEY");
        assertThat(page.body()).contains("id=\"key-error\"").contains("cannot sign in to the console")
                .contains("aria-invalid=\"true\"");
        assertThat(browser.get("/").location()).endsWith("/sign-in");
    }

    @Test
    void signingInWithoutTheCsrfTokenIsRefused() {
        String key = memberKey(projectId, "alice", "TENANT_USER");
        browser.get("/sign-in");
        assertThat(browser.postWithoutCsrf("/sign-in", Map.of("key", key)).status()).isEqualTo(403);
        assertThat(browser.get("/").location()).endsWith("/sign-in");
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        String key = memberKey(projectId, "alice", "TENANT_USER");
        browser.signIn(key);
        browser.get("/projects/" + projectId + "/keys");
        ConsoleClient.Page refused = browser.postWithoutCsrf("/projects/" + projectId + "/keys",
                Map.of("name", "sneaky", "validDays", "30"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/projects/" + projectId + "/keys", OPERATOR).raw()).doesNotContain("sneaky");
    }

    @Test
    void deletedExpiredAndRoleChangedKeysEndTheirSessionsAtOnce() {
        Api.Response deleted = createKey(projectId, memberOf("deleted"));
        ConsoleClient deletedBrowser = signedIn(deleted.text("key"));
        assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + deleted.text("keyId"), OPERATOR)
                .status()).isEqualTo(204);
        assertThat(deletedBrowser.get("/projects/" + projectId + "/keys").location())
                .endsWith("/sign-in?ended=REVOKED");
        // htmx follows HX-Redirect instead of swapping the sign-in page into a fragment
        ConsoleClient.Page fragment = deletedBrowser.htmx("/projects/" + projectId + "/keys/new");
        assertThat(fragment.status()).isEqualTo(401);
        assertThat(fragment.header("HX-Redirect")).isEqualTo("/sign-in");

        ConsoleClient roleChanged = signedIn(keyFor(projectId, memberOf("changed")));
        addMember(projectId, "changed", "TENANT_ADMIN");
        assertThat(roleChanged.htmx("/projects/" + projectId + "/keys/new").header("HX-Redirect"))
                .isEqualTo("/sign-in?ended=REVOKED");

        ConsoleClient expiring = signedIn(keyFor(projectId, memberOf("expiring")));
        clock.advance(java.time.Duration.ofDays(31));
        try {
            assertThat(expiring.get("/projects/" + projectId + "/keys").location()).endsWith("/sign-in?ended=EXPIRED");
        } finally {
            clock.advance(java.time.Duration.ofDays(-31));
        }
    }

    @Test
    void signingOutEndsTheSession() {
        browser.signIn(memberKey(projectId, "alice", "TENANT_USER"));
        browser.get("/projects/" + projectId + "/keys");
        ConsoleClient.Page out = browser.post("/sign-out", Map.of());
        assertThat(out.location()).endsWith("/sign-in?signed-out");
        assertThat(browser.get("/projects/" + projectId + "/keys").location()).endsWith("/sign-in");
        assertThat(browser.get("/sign-in?signed-out").body()).contains("You have signed out.");
    }

    @Test
    void pagesCarryTheSecurityHeaders() {
        ConsoleClient.Page page = browser.get("/sign-in");
        assertThat(page.header("content-security-policy")).contains("script-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(page.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(page.header("cache-control")).contains("no-store");
        assertThat(page.body()).doesNotContain("<script>").doesNotContainPattern("\\son[a-z]+=").contains("name=\"viewport\"");
    }

    @Test
    void theApiKeepsItsKeysAndIgnoresConsoleSessions() {
        browser.signIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
        browser.get("/projects/" + projectId + "/keys");
        // a session cookie is no credential for the API, and the API needs no CSRF token
        ConsoleClient.Page api = browser.getJson("/api/v1/me");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.header("content-type")).startsWith("application/problem+json");
        assertThat(api.header("set-cookie")).isNull();
    }

    @Test
    void theLanguageComesFromTheBrowserAndTheSwitchIsRemembered() {
        browser.language("zh-TW,zh;q=0.9,en;q=0.5");
        assertThat(browser.get("/sign-in").body()).contains("<html lang=\"zh-TW\"").contains(">API 金鑰</label>");
        ConsoleClient.Page english = browser.get("/sign-in?lang=en");
        assertThat(english.body()).contains("<html lang=\"en\"").contains(">API key</label>");
        assertThat(english.header("set-cookie")).contains("keyquota-lang=en");
        assertThat(browser.get("/sign-in").body()).contains(">API key</label>");
        assertThat(new ConsoleClient(port).language("fr").get("/sign-in").body()).contains(">API key</label>");
    }

    @Test
    void unknownConsolePathsGetTheConsolesNotFoundPage() {
        browser.signIn(memberKey(projectId, "alice", "TENANT_USER"));
        ConsoleClient.Page missing = browser.get("/no-such-page");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("content-type")).startsWith("text/html");
        assertThat(missing.body()).contains("There is nothing here.");
        ConsoleClient.Page apiMissing = browser.get("/api/v1/no-such-thing");
        assertThat(apiMissing.header("content-type")).startsWith("application/problem+json");
    }

    private String memberOf(String userId) {
        addMember(projectId, userId, "TENANT_USER");
        return userId;
    }

    private ConsoleClient signedIn(String key) {
        ConsoleClient client = new ConsoleClient(port);
        assertThat(client.signIn(key).location()).endsWith("/");
        assertThat(client.get("/projects/" + projectId + "/keys").status()).isEqualTo(200);
        return client;
    }
}
