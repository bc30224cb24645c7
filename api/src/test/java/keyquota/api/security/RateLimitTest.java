package keyquota.api.security;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static keyquota.api.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-key rate limit as API.md says: 1 request a second here (so that the test's own pace refills little),
 * bursts up to 2, per key and node; service keys and GET /api/v1/me draw on no budget. The clock is the service's,
 * moved by the test.
 */
@TestPropertySource(properties = {"keyquota.rate-limit.enabled=true", "keyquota.rate-limit.per-key=1"})
class RateLimitTest extends ApiTest {

    private String projectId;
    private String keys;

    @BeforeEach
    void project() {
        // the operator's own budget is spent on setting up: let it fill again
        clock.advance(Duration.ofSeconds(10));
        projectId = createProject();
        keys = "/api/v1/projects/" + projectId + "/keys";
        clock.advance(Duration.ofSeconds(10));
    }

    /** Requests with the key until one is refused; the answers, the refused one last. */
    private List<Api.Response> untilRefused(String path, String key, int atMost) {
        List<Api.Response> answers = new ArrayList<>();
        for (int i = 0; i < atMost; i++) {
            Api.Response answer = api.get(path, key);
            answers.add(answer);
            if (answer.status() == 429) {
                break;
            }
        }
        return answers;
    }

    @Test
    void aMemberKeyGetsABurstOfTwiceItsRateThen429WithRetryAfter() {
        String bob = memberKey(projectId, "bob", "TENANT_ADMIN");
        List<Api.Response> answers = untilRefused(keys, bob, 20);

        assertThat(answers).hasSize(3);
        for (int i = 0; i < 2; i++) {
            Api.Response allowed = answers.get(i);
            assertThat(allowed.status()).as(allowed.raw()).isEqualTo(200);
            assertThat(allowed.header("RateLimit-Limit")).isEqualTo("2");
            assertThat(allowed.header("RateLimit-Remaining")).isEqualTo(Integer.toString(1 - i));
            assertThat(Long.parseLong(allowed.header("RateLimit-Reset"))).isBetween(1L, 2L);
        }
        Api.Response refused = answers.get(2);
        assertProblem(refused, 429, "RATE_LIMITED");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.raw()).doesNotContain(bob);

        clock.advance(Duration.ofSeconds(1));
        assertThat(api.get(keys, bob).status()).as("a second gives one request").isEqualTo(200);
        assertThat(api.get(keys, bob).status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(2));
        assertThat(untilRefused(keys, bob, 20)).as("two seconds fill the bucket again").hasSize(3);
    }

    @Test
    void eachKeyHasABudgetOfItsOwnAndTheOperatorHasOneToo() {
        String first = memberKey(projectId, "carol", "TENANT_USER");
        clock.advance(Duration.ofSeconds(10));
        String second = keyFor(projectId, "carol");
        clock.advance(Duration.ofSeconds(10));
        assertThat(untilRefused(keys, first, 20)).hasSize(3);
        assertThat(api.get(keys, second).status()).as("another key of the same member").isEqualTo(200);
        assertThat(untilRefused("/api/v1/projects", OPERATOR, 20)).hasSize(3);
    }

    @Test
    void meAndServiceKeysAreNotLimited() {
        String dave = memberKey(projectId, "dave", "TENANT_USER");
        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 30; i++) {
            Api.Response me = api.get("/api/v1/me", dave);
            assertThat(me.status()).as(me.raw()).isEqualTo(200);
            assertThat(me.header("RateLimit-Limit")).isNull();
        }
        Api.Response service = api.post("/api/v1/service-keys", OPERATOR,
                Api.json("name", "svc-" + UUID.randomUUID(), "service", "CCS"));
        String serviceKey = service.text("key");
        for (int i = 0; i < 30; i++) {
            Api.Response verified = api.post("/api/v1/keys/verify", serviceKey, Api.json("key", dave));
            assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
            assertThat(verified.header("RateLimit-Limit")).isNull();
        }
        assertThat(api.get(keys, dave).status()).as("dave's budget is untouched by /me").isEqualTo(200);
    }

    /** Prometheus scrapes with the operator key: its scrapes must go on while the operator's budget is spent. */
    @Test
    void metricsDrawOnNoBudget() {
        List<Api.Response> spent = untilRefused(keys, OPERATOR, 10);
        assertThat(spent.get(spent.size() - 1).status()).as("the operator's budget is spent").isEqualTo(429);
        for (int i = 0; i < 10; i++) {
            Api.Response scrape = api.get("/actuator/prometheus", OPERATOR);
            assertThat(scrape.status()).as("scrape %d", i).isEqualTo(200);
            assertThat(scrape.header("RateLimit-Limit")).isNull();
        }
    }

    @Test
    void withoutAKeyNothingIsDrawn() {
        Api.Response anonymous = api.get(keys, null);
        assertProblem(anonymous, 401, "UNAUTHENTICATED");
        assertThat(anonymous.header("RateLimit-Limit")).isNull();
    }
}
