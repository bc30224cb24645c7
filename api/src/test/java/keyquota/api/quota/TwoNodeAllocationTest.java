package keyquota.api.quota;

import com.zaxxer.hikari.HikariDataSource;
import keyquota.KeyquotaApplication;
import keyquota.api.support.Api;
import keyquota.domain.MembershipId;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.amounts;
import static keyquota.api.quota.Quotas.assertExceeded;
import static keyquota.api.quota.Quotas.assertProblem;
import static keyquota.api.quota.Quotas.atOnce;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.ids;
import static keyquota.api.quota.Quotas.projectUsage;
import static keyquota.api.quota.Quotas.reconcile;
import static keyquota.api.quota.Quotas.release;
import static keyquota.api.quota.Quotas.serviceKey;
import static keyquota.api.quota.Quotas.setMemberQuota;
import static keyquota.api.quota.Quotas.setProjectQuota;
import static keyquota.api.quota.Quotas.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application nodes in one JVM on one database: the test context (node 1) and a second application started
 * here (node 2). "Usage never exceeds a quota ... on any number of nodes", and "a deleted key stops
 * authenticating at once, on every node".
 */
class TwoNodeAllocationTest extends QuotaTest {

    private static ConfigurableApplicationContext node2;
    private static Api api2;
    private static Clock eventClock;

    @Autowired
    private JdbcClient jdbc;

    @BeforeAll
    static void startSecondNode(@Autowired DataSource dataSource, @Autowired Clock clock) throws SQLException {
        HikariDataSource database = dataSource.unwrap(HikariDataSource.class);
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + database.getJdbcUrl(),
                "--spring.datasource.username=" + database.getUsername(),
                "--keyquota.bootstrap-key=" + OPERATOR,
                "--keyquota.rate-limit.enabled=false",
                "--keyquota.data-dir=target/test-data/node2"));
        if (database.getPassword() != null) {
            arguments.add("--spring.datasource.password=" + database.getPassword());
        }
        // Both nodes keep the same time, as real ones do: node 2 gets the test's clock, wherever it has moved to.
        node2 = new SpringApplicationBuilder(KeyquotaApplication.class)
                .initializers(context -> ((GenericApplicationContext) context).registerBean("testClock", Clock.class,
                        () -> clock, definition -> definition.setPrimary(true)))
                .run(arguments.toArray(String[]::new));
        api2 = new Api(Integer.parseInt(node2.getEnvironment().getProperty("local.server.port")));
        // Axon stamps events with one static clock, which node 2 has just set to its own: give it back
        eventClock = clock;
        GenericEventMessage.clock = eventClock;
    }

    @AfterAll
    static void stopSecondNode() {
        if (node2 != null) {
            node2.close();
        }
        if (eventClock != null) {
            GenericEventMessage.clock = eventClock;
        }
    }

    /** Node 1 for even indexes, node 2 for odd ones. */
    private Api node(int index) {
        return index % 2 == 0 ? api : api2;
    }

    @Test
    void racingAllocationsOnTwoNodesNeverTakeMoreThanTheQuota() throws Exception {
        String project = newProject().tenantUsers(8).projectQuota(CCS, Map.of("cpu", 20)).id();
        String service = serviceKey(api, OPERATOR, CCS);
        // both nodes have handled a command on the quota, so both hold it in memory
        assertThat(allocate(api, service, project, CCS, "warm-1", user(0), Map.of("cpu", 1)).status()).isEqualTo(201);
        assertThat(allocate(api2, service, project, CCS, "warm-2", user(0), Map.of("cpu", 1)).status()).isEqualTo(201);
        assertThat(release(api, service, project, CCS, "warm-1").status()).isEqualTo(204);
        assertThat(release(api2, service, project, CCS, "warm-2").status()).isEqualTo(204);

        List<Api.Response> answers = atOnce(32, i -> allocate(node(i), service, project, CCS, "job-" + i,
                user(i % 8), Map.of("cpu", 3)));

        List<Integer> succeeded = IntStream.range(0, 32).filter(i -> answers.get(i).status() == 201).boxed().toList();
        assertThat(succeeded).as(answers.toString()).hasSize(6);
        answers.stream().filter(answer -> answer.status() != 201)
                .forEach(refused -> assertExceeded(refused, "PROJECT", "cpu", 3, 2));
        assertThat(succeeded.stream().map(i -> amounts(answers.get(i).body().path("usage").path("project"))
                .get("cpu"))).containsExactlyInAnyOrder(3L, 6L, 9L, 12L, 15L, 18L);
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(18, 0, 0));
        assertThat(projectUsage(view(api2, OPERATOR, project, CCS).body())).isEqualTo(ccs(18, 0, 0));

        List<Api.Response> releases = atOnce(3, i -> release(node(i + 1), service, project, CCS,
                "job-" + succeeded.get(i)));
        assertThat(releases).allSatisfy(released -> assertThat(released.status()).as(released.raw()).isEqualTo(204));
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(9, 0, 0));
    }

    /**
     * A reconcile sent to both nodes while sixteen new allocations race it: it releases exactly the old leaks, once,
     * and none of the allocations made after the list.
     */
    @Test
    void reconcilesRacingNewAllocationsOnTwoNodesReleaseOnlyTheOldLeaks() throws Exception {
        String project = newProject().tenantUsers(4).projectQuota(CCS, Map.of("cpu", 100)).id();
        String service = serviceKey(api, OPERATOR, CCS);
        for (int i = 0; i < 10; i++) {
            assertThat(allocate(node(i), service, project, CCS, "old-" + i, user(i % 4), Map.of("cpu", 1)).status())
                    .isEqualTo(201);
        }
        clock.advance(Duration.ofMinutes(1));
        Instant listedAt = clock.instant();
        List<String> held = List.of("old-0", "old-2", "old-4", "old-6", "old-8");

        List<Api.Response> answers = atOnce(18, i -> i < 2
                ? reconcile(node(i), service, project, CCS, "", listedAt, held)
                : allocate(node(i), service, project, CCS, "new-" + i, user(i % 4), Map.of("cpu", 2)));

        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.raw()).isIn(200, 201));
        List<String> released = new ArrayList<>(ids(answers.get(0).body().path("released")));
        released.addAll(ids(answers.get(1).body().path("released")));
        assertThat(released).containsExactlyInAnyOrder("old-1", "old-3", "old-5", "old-7", "old-9");
        for (Api.Response reconciled : answers.subList(0, 2)) {
            assertThat(ids(reconciled.body().path("leaked"))).allMatch(id -> id.startsWith("old-"));
        }
        assertThat(projectUsage(view(api2, OPERATOR, project, CCS).body())).isEqualTo(ccs(5 + 16 * 2, 0, 0));
    }

    @Test
    void theSameAllocationSentToBothNodesAtOnceCountsOnce() throws Exception {
        String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 20)).id();
        String service = serviceKey(api, OPERATOR, CCS);
        assertThat(allocate(api2, service, project, CCS, "warm", "bob", Map.of("cpu", 1)).status()).isEqualTo(201);

        List<Api.Response> answers = atOnce(16, i -> allocate(node(i), service, project, CCS, "vm-1", "bob",
                Map.of("cpu", 3)));

        assertThat(answers.stream().filter(answer -> answer.status() == 201)).as(answers.toString()).hasSize(1);
        assertThat(answers.stream().filter(answer -> answer.status() == 200)).as(answers.toString()).hasSize(15);
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(4, 0, 0));
    }

    @Test
    void roomFreedOnOneNodeCanBeTakenOnTheOther() {
        String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10)).id();
        String service = serviceKey(api, OPERATOR, CCS);

        assertThat(allocate(api, service, project, CCS, "a1", "bob", Map.of("cpu", 10)).status()).isEqualTo(201);
        assertThat(release(api2, service, project, CCS, "a1").status()).isEqualTo(204);
        assertThat(projectUsage(view(api, OPERATOR, project, CCS).body())).isEqualTo(ccs(0, 0, 0));

        Api.Response again = allocate(api, service, project, CCS, "a2", "bob", Map.of("cpu", 10));
        assertThat(again.status()).as(again.raw()).isEqualTo(201);
        assertThat(amounts(again.body().path("usage").path("project"))).isEqualTo(ccs(10, 0, 0));
    }

    @Test
    void anAllocationMadeOnOneNodeIsReleasedOnTheOther() {
        String service = serviceKey(api, OPERATOR, CCS);
        String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                .allocation(service, CCS, "a1", "bob", Map.of("cpu", 1)).id();

        assertThat(allocate(api2, service, project, CCS, "a2", "bob", Map.of("cpu", 2)).status()).isEqualTo(201);
        Api.Response released = release(api, service, project, CCS, "a2");
        assertThat(released.status()).as(released.raw()).isEqualTo(204);
        assertThat(projectUsage(view(api2, OPERATOR, project, CCS).body())).isEqualTo(ccs(1, 0, 0));
    }

    /**
     * A dry run stores nothing, so no append can find that the copy it decided on was behind: node 1's cached copy
     * is checked against the store before it answers.
     */
    @Test
    void aDryRunOnOneNodeAnswersFromWhatTheOtherNodeStored() {
        String service = serviceKey(api, OPERATOR, CCS);
        String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                .allocation(service, CCS, "a1", "bob", Map.of("cpu", 1)).id();
        assertThat(setMemberQuota(api, OPERATOR, project, CCS, "bob", "?dryRun=true", Map.of("cpu", 8)).body()
                .path("acceptable").path("cpu").path("min").asLong()).as("on node 1's copy, before").isEqualTo(1);

        assertThat(allocate(api2, service, project, CCS, "a2", "bob", Map.of("cpu", 4)).status()).isEqualTo(201);
        Api.Response dryRun = setMemberQuota(api, OPERATOR, project, CCS, "bob", "?dryRun=true", Map.of("cpu", 8));

        assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(200);
        assertThat(dryRun.body().path("acceptable").path("cpu").path("min").asLong())
                .as("the least member quota: bob's usage, both allocations").isEqualTo(5);
    }

    @Test
    void aQuotaSetOnOneNodeHoldsOnTheOther() {
        String service = serviceKey(api, OPERATOR, CCS);
        String project = newProject().tenantUser("bob").projectQuota(CCS, Map.of("cpu", 10))
                .allocation(service, CCS, "a1", "bob", Map.of("cpu", 1)).id();

        assertThat(setProjectQuota(api2, OPERATOR, project, CCS, Map.of("cpu", 20)).status()).isEqualTo(200);
        Api.Response more = allocate(api, service, project, CCS, "a2", "bob", Map.of("cpu", 15));
        assertThat(more.status()).as(more.raw()).isEqualTo(201);
        assertThat(amounts(more.body().path("usage").path("project"))).isEqualTo(ccs(16, 0, 0));
    }

    /** Node 1 keeps the membership in memory; node 2 moves it on; node 1 must decide on what node 2 did. */
    @Test
    void aKeyDeletedOnOneNodeFreesRoomForAKeyOnTheOther() {
        String project = newProject().tenantUser("bob").id();
        String path = "/api/v1/projects/" + project + "/keys";
        List<String> keyIds = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            keyIds.add(createKey(project, "bob").text("keyId"));
        }
        assertProblem(api.post(path, OPERATOR, Api.json("userId", "bob")), 409, "KEY_LIMIT_REACHED");

        assertThat(api2.delete(path + "/" + keyIds.get(0), OPERATOR).status()).isEqualTo(204);

        Api.Response sixth = api.post(path, OPERATOR, Api.json("userId", "bob"));
        assertThat(sixth.status()).as(sixth.raw()).isEqualTo(201);
        assertProblem(api.post(path, OPERATOR, Api.json("userId", "bob")), 409, "KEY_LIMIT_REACHED");
    }

    @Test
    void keysCreatedOnBothNodesAtOnceStopAtTheLimit() throws Exception {
        String project = newProject().tenantUser("bob").id();
        String path = "/api/v1/projects/" + project + "/keys";

        List<Api.Response> answers = atOnce(20, i -> node(i).post(path, OPERATOR, Api.json("userId", "bob")));

        assertThat(answers.stream().filter(answer -> answer.status() == 201)).as(answers.toString()).hasSize(5);
        answers.stream().filter(answer -> answer.status() != 201)
                .forEach(refused -> assertProblem(refused, 409, "KEY_LIMIT_REACHED"));
        assertThat(api2.get(path, OPERATOR).body().path("keys")).hasSize(5);
    }

    /**
     * Each node commits the key commands of different members together; a group that clashes with the other
     * node's append is handled again command by command. Every member still stops at the limit, and every key
     * answered is stored once.
     */
    @Test
    void keysOfManyMembersCreatedOnBothNodesAtOnceEachStopAtTheLimit() throws Exception {
        int members = 6;
        String project = newProject().tenantUsers(members).id();
        String path = "/api/v1/projects/" + project + "/keys";
        for (int m = 0; m < members; m++) {
            // both nodes hold every membership in memory, two keys each
            assertThat(api.post(path, OPERATOR, Api.json("userId", user(m))).status()).isEqualTo(201);
            assertThat(api2.post(path, OPERATOR, Api.json("userId", user(m))).status()).isEqualTo(201);
        }

        List<Api.Response> answers = atOnce(members * 6, i -> node(i / members).post(path, OPERATOR,
                Api.json("userId", user(i % members))));

        assertThat(answers).filteredOn(answer -> answer.status() == 201).as(answers.toString())
                .hasSize(members * 3);
        answers.stream().filter(answer -> answer.status() != 201)
                .forEach(refused -> assertProblem(refused, 409, "KEY_LIMIT_REACHED"));
        for (int m = 0; m < members; m++) {
            assertThat(api.get(path + "?userId=" + user(m), OPERATOR).body().path("keys")).hasSize(5);
            assertThat(api2.get(path + "?userId=" + user(m), OPERATOR).body().path("keys")).hasSize(5);
            assertThat(jdbc.sql("""
                    SELECT count(*) FROM domain_event_entry
                    WHERE aggregate_identifier = ? AND payload_type LIKE '%KeyCreated'""")
                    .param(MembershipId.of(project, user(m))).query(Long.class).single())
                    .as("keys of %s stored", user(m)).isEqualTo(5);
        }
    }

    @Test
    void aKeyDeletedOnOneNodeIsRefusedOnTheOtherAtOnce() {
        String project = newProject().tenantUser("bob").id();
        Api.Response created = createKey(project, "bob");
        String secret = created.text("key");
        assertThat(api2.get("/api/v1/me", secret).status()).isEqualTo(200);

        assertThat(api.delete("/api/v1/projects/" + project + "/keys/" + created.text("keyId"), OPERATOR).status())
                .isEqualTo(204);
        assertProblem(api2.get("/api/v1/me", secret), 401, "UNAUTHENTICATED");
        assertProblem(api.get("/api/v1/me", secret), 401, "UNAUTHENTICATED");

        String service = serviceKey(api2, OPERATOR, CCS);
        JsonNode me = api.get("/api/v1/me", service).body();
        assertThat(me.path("type").asString()).isEqualTo("SERVICE");
        assertThat(api2.delete("/api/v1/service-keys/" + me.path("keyId").asString(), OPERATOR).status())
                .isEqualTo(204);
        assertProblem(api.get("/api/v1/me", service), 401, "UNAUTHENTICATED");
    }

    /**
     * GET /me keeps a member's email as long as a verified key is kept (one second): a change made on a node shows
     * there at once, on the other node within that second.
     */
    @Test
    void aMembersEmailChangedOnOneNodeShowsOnTheOtherWithinASecond() {
        String project = newProject().tenantUser("bob").id();
        String secret = createKey(project, "bob").text("key");
        assertThat(api2.get("/api/v1/me", secret).body().has("email")).isFalse();

        Api.Response changed = api.put("/api/v1/projects/" + project + "/members/bob", OPERATOR,
                Api.json("role", "TENANT_USER", "email", "bob@nchc.org.tw"));
        assertThat(changed.status()).as(changed.raw()).isEqualTo(200);

        assertThat(api.get("/api/v1/me", secret).text("email")).isEqualTo("bob@nchc.org.tw");
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(api2.get("/api/v1/me", secret).text("email")).isEqualTo("bob@nchc.org.tw"));
    }

    /** Node 2 has the keys in its verification cache; the change on node 1 must reach it before it answers. */
    @Test
    void keysThatDieWithTheMembershipOrTheRoleOnOneNodeAreRefusedOnTheOtherAtOnce() {
        String project = newProject().tenantUser("bob").tenantUser("carol").id();
        String bobs = keyFor(project, "bob");
        String carols = keyFor(project, "carol");
        assertThat(api2.get("/api/v1/me", bobs).status()).isEqualTo(200);
        assertThat(api2.get("/api/v1/me", carols).status()).isEqualTo(200);

        assertThat(api.delete("/api/v1/projects/" + project + "/members/bob", OPERATOR).status()).isEqualTo(204);
        assertProblem(api2.get("/api/v1/me", bobs), 401, "UNAUTHENTICATED");

        assertThat(api.put("/api/v1/projects/" + project + "/members/carol", OPERATOR,
                Api.json("role", "TENANT_ADMIN")).status()).isEqualTo(200);
        assertProblem(api2.get("/api/v1/me", carols), 401, "UNAUTHENTICATED");
    }

    /** Disabling is like deleting: refused on the other node, which has the key cached, when it returns. */
    @Test
    void aKeyDisabledOnOneNodeIsRefusedOnTheOtherAtOnceAndWorksAgainWhenEnabled() {
        String project = newProject().tenantUser("bob").id();
        Api.Response created = createKey(project, "bob");
        String secret = created.text("key");
        String key = "/api/v1/projects/" + project + "/keys/" + created.text("keyId");
        assertThat(api2.get("/api/v1/me", secret).status()).isEqualTo(200);

        assertThat(api.post(key + "/disable", OPERATOR, "").status()).isEqualTo(200);
        assertProblem(api2.get("/api/v1/me", secret), 401, "KEY_DISABLED");

        assertThat(api.post(key + "/enable", OPERATOR, "").status()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> api2.get("/api/v1/me", secret).status() == 200);
    }

    @Test
    void aKeyRolledWithoutGraceOnOneNodeIsRefusedOnTheOtherAtOnce() {
        String project = newProject().tenantUser("bob").id();
        Api.Response created = createKey(project, "bob");
        String secret = created.text("key");
        assertThat(api2.get("/api/v1/me", secret).status()).isEqualTo(200);

        Api.Response rolled = api.post("/api/v1/projects/" + project + "/keys/" + created.text("keyId") + "/roll",
                OPERATOR, Api.json("graceHours", 0));
        assertThat(rolled.status()).as(rolled.raw()).isEqualTo(201);
        assertProblem(api2.get("/api/v1/me", secret), 401, "KEY_EXPIRED");
        assertThat(api2.get("/api/v1/me", rolled.text("key")).status()).isEqualTo(200);
    }
}
