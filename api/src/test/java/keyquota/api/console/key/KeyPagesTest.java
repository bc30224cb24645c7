package keyquota.api.console.key;

import keyquota.api.console.ConsoleClient;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API key management screen over HTTP: each page and fragment, for each role, with the API's rules. The
 * browser scenarios are in {@link KeysBrowserTest}.
 */
class KeyPagesTest extends ApiTest {

    private String projectId;
    private String keys;

    @BeforeEach
    void project() {
        projectId = createProject();
        keys = "/projects/" + projectId + "/keys";
        addMember(projectId, "bob", "TENANT_USER");
    }

    private ConsoleClient signedIn(String key) {
        ConsoleClient browser = new ConsoleClient(port);
        browser.signIn(key);
        assertThat(browser.get(keys).status()).isEqualTo(200);
        return browser;
    }

    @Nested
    class TheTable {

        @Test
        void aTenantAdminSeesEveryMembersKeysAndFiltersByOwner() {
            ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
            String bobKey = createKey(projectId, "bob").text("keyId");
            String page = admin.get(keys).body();
            assertThat(page).contains("data-key-id=\"" + bobKey + "\"").contains("id=\"filter-owner\"")
                    .contains(">Owner</th>").contains("in 30 days");
            String onlyAlice = admin.htmx(keys + "?owner=alice", "keys-table").body();
            assertThat(onlyAlice).startsWith("<div id=\"keys-table\"").doesNotContain(bobKey);
        }

        @Test
        void aTenantUserSeesOnlyOwnKeysAndNoOwnerColumn() {
            String aliceKey = createKey(projectId, memberOf("alice")).text("keyId");
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            String page = bob.get(keys).body();
            assertThat(page).doesNotContain(aliceKey).doesNotContain("id=\"filter-owner\"")
                    .doesNotContain(">Owner</th>");
            assertThat(bob.htmx(keys + "?owner=alice").body()).doesNotContain(aliceKey).contains("No keys match.");
        }

        @Test
        void filtersByStatusAndPagesThroughMany() {
            ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
            for (int i = 0; i < 24; i++) {
                createKey(projectId, memberOf("m" + i));
            }
            ConsoleClient.Page first = admin.htmx(keys + "?status=ACTIVE");
            assertThat(rows(first.body())).isEqualTo(KeyPageController.PAGE_SIZE);
            String next = first.body().replaceAll("(?s).*id=\"next-page\" href=\"([^\"]+)\".*", "$1")
                    .replace("&amp;", "&");
            assertThat(rows(admin.htmx(next).body())).isEqualTo(25 - KeyPageController.PAGE_SIZE);
            assertThat(rows(admin.htmx(keys + "?status=EXPIRED").body())).isZero();
            assertThat(admin.htmx(keys + "?status=GONE").status()).isEqualTo(400);
        }

        @Test
        void anotherProjectIsNotFoundForItsAdmin() {
            String other = createProject();
            addMember(other, "eve", "TENANT_ADMIN");
            ConsoleClient eve = new ConsoleClient(port);
            eve.signIn(keyFor(other, "eve"));
            // as in the API: another project is one that does not exist
            ConsoleClient.Page refused = eve.get(keys);
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.body()).contains("No such project.");
            ConsoleClient.Page fragment = eve.htmx(keys + "/new");
            assertThat(fragment.status()).isEqualTo(404);
            assertThat(fragment.header("HX-Retarget")).isEqualTo("#status");
        }

        @Test
        void theOperatorSeesAnyProjectAndAnUnknownOneIsNotFound() {
            String aliceKey = createKey(projectId, memberOf("alice")).text("keyId");
            ConsoleClient operator = new ConsoleClient(port);
            operator.signIn(OPERATOR);
            assertThat(operator.get(keys).body()).contains(aliceKey);
            ConsoleClient.Page missing = operator.get("/projects/NO-SUCH/keys");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.body()).contains("No such project.");
        }
    }

    @Nested
    class Creating {

        @Test
        void showsTheSecretOnceAndTheKeyWorks() {
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            assertThat(bob.htmx(keys + "/new").body()).contains("id=\"create-key-dialog\"").contains("value=\"30\"")
                    .doesNotContain("id=\"userId\"");
            ConsoleClient.Page created = bob.post(keys, Map.of("name", "laptop", "validDays", "7"));
            assertThat(created.status()).isEqualTo(200);
            assertThat(created.header("HX-Trigger")).isEqualTo("keys-changed");
            String secret = created.body().replaceAll("(?s).*id=\"secret\">([^<]+)<.*", "$1");
            assertThat(created.body()).contains("will not be shown again").contains("id=\"copy-secret\"");
            Api.Response me = api.get("/api/v1/me", secret);
            assertThat(me.text("userId")).isEqualTo("bob");
            assertThat(bob.get(keys).body()).contains("laptop").doesNotContain(secret).contains("in 7 days");
        }

        @Test
        void aTenantAdminCreatesForAMember() {
            ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
            assertThat(admin.htmx(keys + "/new").body()).contains("<option value=\"bob\">bob</option>");
            ConsoleClient.Page created = admin.post(keys, Map.of("name", "for bob", "validDays", "30",
                    "userId", "bob"));
            assertThat(created.body()).contains("For bob in project " + projectId);
        }

        @Test
        void badValuesAreShownNextToTheirFieldsAndChangeNothing() {
            ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
            ConsoleClient.Page tooLong = admin.post(keys, Map.of("validDays", "366"));
            assertThat(tooLong.status()).isEqualTo(422);
            assertThat(tooLong.body()).contains("id=\"validDays-error\"").contains("Enter from 1 to 365 days.")
                    .contains("aria-describedby=\"validDays-error\"").contains("value=\"366\"");
            assertThat(admin.post(keys, Map.of("validDays", "ten")).body()).contains("Enter a whole number.");
            assertThat(admin.post(keys, Map.of("name", "x".repeat(101))).body())
                    .contains("id=\"name-error\"").contains("At most 100 characters.");
            assertThat(admin.post(keys, Map.of("name", "nul\u0000")).body()).contains("Not a valid value.");
            assertThat(admin.post(keys, Map.of("userId", "nobody")).body())
                    .contains("id=\"userId-error\"").contains("Not a member of this project.");
            assertThat(admin.post(keys, Map.of("userId", "no spaces")).body()).contains("id=\"userId-error\"");
            assertThat(api.get("/api/v1/projects/" + projectId + "/keys", OPERATOR).body().path("keys").size())
                    .isEqualTo(1);
        }

        @Test
        void theKeyLimitIsExplainedOnTheForm() {
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            for (int i = 0; i < 4; i++) {
                assertThat(bob.post(keys, Map.of("validDays", "30")).status()).isEqualTo(200);
            }
            ConsoleClient.Page sixth = bob.post(keys, Map.of("validDays", "30"));
            assertThat(sixth.status()).isEqualTo(422);
            assertThat(sixth.body()).contains("id=\"form-error\"").contains("at most 5 active keys");
        }

        @Test
        void aTenantUserCannotCreateForSomeoneElse() {
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            memberOf("alice");
            ConsoleClient.Page refused = bob.post(keys, Map.of("userId", "alice"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(api.get("/api/v1/projects/" + projectId + "/keys?userId=alice", OPERATOR).body()
                    .path("keys").size()).isZero();
        }
    }

    @Nested
    class Extending {

        @Test
        void previewsTheNewExpiryAndExtends() {
            Api.Response key = createKey(projectId, "bob");
            ConsoleClient bob = signedIn(key.text("key"));
            String path = keys + "/" + key.text("keyId") + "/extend";
            assertThat(bob.htmx(path).body()).contains("id=\"extend-dialog\"").contains("id=\"days\"");
            String expected = java.time.Instant.parse(key.text("expiresAt")).plus(java.time.Duration.ofDays(10))
                    .toString();
            assertThat(bob.htmx(path + "/preview?days=10").body()).contains("id=\"new-expiry\"")
                    .contains("datetime=\"" + expected + "\"");
            ConsoleClient.Page done = bob.post(path, Map.of("days", "10"));
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.body()).contains("hx-swap-oob").contains("now expires at");
            assertThat(api.get("/api/v1/projects/" + projectId + "/keys/" + key.text("keyId"), OPERATOR)
                    .text("expiresAt")).isEqualTo(expected);
        }

        @Test
        void tooFarAndExpiredAreExplainedInPlace() {
            Api.Response key = createKey(projectId, "bob");
            ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
            String path = keys + "/" + key.text("keyId") + "/extend";
            assertThat(api.post("/api/v1/projects/" + projectId + "/keys/" + key.text("keyId") + "/extend",
                    OPERATOR, Api.json("days", 365)).status()).isEqualTo(200);
            assertThat(admin.htmx(path + "/preview?days=365").body()).contains("id=\"days-error\"")
                    .contains("730 days from now").doesNotContain("new-expiry");
            ConsoleClient.Page tooFar = admin.post(path, Map.of("days", "365"));
            assertThat(tooFar.status()).isEqualTo(422);
            assertThat(tooFar.body()).contains("id=\"extend-dialog\"").contains("730 days from now");
            assertThat(admin.htmx(path + "/preview?days=0").body()).contains("Enter from 1 to 365 days.");
            assertThat(admin.htmx(path + "/preview?days=x").body()).contains("Enter a whole number.");

            Api.Response expiring = createKey(projectId, "bob");
            clock.advance(java.time.Duration.ofDays(31));
            try {
                ConsoleClient operator = new ConsoleClient(port);
                operator.signIn(OPERATOR);
                String expired = keys + "/" + expiring.text("keyId") + "/extend";
                assertThat(operator.htmx(expired + "/preview?days=10").body())
                        .contains("an expired key cannot be extended");
                assertThat(operator.post(expired, Map.of("days", "10")).status()).isEqualTo(422);
            } finally {
                clock.advance(java.time.Duration.ofDays(-31));
            }
        }

        @Test
        void someoneElsesKeyIsNotFoundForATenantUser() {
            String aliceKey = createKey(projectId, memberOf("alice")).text("keyId");
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            ConsoleClient.Page missing = bob.htmx(keys + "/" + aliceKey + "/extend");
            assertThat(missing.status()).isIn(403, 404);
            assertThat(bob.post(keys + "/" + aliceKey + "/extend", Map.of("days", "1")).status()).isIn(403, 404);
            assertThat(bob.htmx(keys + "/not-a-uuid/extend").status()).isEqualTo(400);
        }
    }

    @Nested
    class Deleting {

        @Test
        void confirmsByNameThenDeletesManyAtOnce() {
            ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
            Api.Response first = createKey(projectId, "bob");
            Api.Response second = createKey(projectId, "bob");
            List<String> ids = List.of(first.text("keyId"), second.text("keyId"));
            ConsoleClient.Page confirm = admin.post(keys + "/delete/confirm", Map.of("keyId", ids));
            assertThat(confirm.body()).contains("id=\"delete-dialog\"").contains("Delete these 2 keys?")
                    .contains("cannot be undone").contains(first.text("maskedKey")).contains("Delete 2 keys");
            ConsoleClient.Page done = admin.post(keys + "/delete", Map.of("keyId", ids));
            assertThat(done.body()).contains("2 keys deleted.");
            assertThat(done.header("HX-Trigger")).isEqualTo("keys-changed");
            assertThat(api.get("/api/v1/me", first.text("key")).status()).isEqualTo(401);
            assertThat(admin.post(keys + "/delete", Map.of("keyId", ids)).body())
                    .contains("No key was deleted. 2 were already gone.");
        }

        @Test
        void nothingSelectedSaysSoInTheLiveRegion() {
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            ConsoleClient.Page none = bob.post(keys + "/delete/confirm", Map.of());
            assertThat(none.header("HX-Retarget")).isEqualTo("#status");
            assertThat(none.body()).contains("Select the keys to delete first.");
        }

        @Test
        void aTenantUserCannotDeleteSomeoneElsesKey() {
            Api.Response alice = createKey(projectId, memberOf("alice"));
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            assertThat(bob.post(keys + "/delete/confirm", Map.of("keyId", alice.text("keyId"))).body())
                    .contains("Select the keys to delete first.");
            bob.post(keys + "/delete", Map.of("keyId", alice.text("keyId")));
            assertThat(api.get("/api/v1/me", alice.text("key")).status()).isEqualTo(200);
        }
    }

    @Nested
    class AsOf {

        @Test
        void showsAKeyAsItStoodAtATimeInTheViewersZone() {
            Api.Response key = createKey(projectId, "bob");
            ConsoleClient bob = signedIn(key.text("key"));
            String path = keys + "/" + key.text("keyId");
            java.time.Instant created = java.time.Instant.parse(key.text("createdAt"));
            // the extension comes two seconds after the creation's second, the time picked one after it
            org.awaitility.Awaitility.await().until(() -> clock.instant().isAfter(created.plusSeconds(2)));
            assertThat(api.post("/api/v1/projects/" + projectId + "/keys/" + key.text("keyId") + "/extend",
                    OPERATOR, Api.json("days", 5)).status()).isEqualTo(200);
            String now = bob.htmx(path).body();
            assertThat(now).contains("id=\"key-dialog\"").contains(
                    "datetime=\"" + java.time.Instant.parse(key.text("expiresAt")).plus(java.time.Duration.ofDays(5)) + "\"");
            // in Taipei (UTC+8), between the creation and the extension
            String local = created.plusSeconds(1).atZone(java.time.ZoneId.of("Asia/Taipei")).toLocalDateTime()
                    .toString();
            String then = bob.htmx(path + "?asOf=" + local + "&zone=Asia/Taipei").body();
            assertThat(then).contains("As it stood at").contains("datetime=\"" + key.text("expiresAt") + "\"");
            String before = created.minusSeconds(3600).atZone(java.time.ZoneId.of("Asia/Taipei"))
                    .toLocalDateTime().withSecond(0).withNano(0).toString();
            assertThat(bob.htmx(path + "?asOf=" + before + "&zone=Asia/Taipei").body())
                    .contains("The key did not exist yet at that time.");
            assertThat(bob.htmx(path + "?asOf=yesterday").body()).contains("Enter a date and time.");
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void disablingAndEnablingFromTheTable() {
            Api.Response key = createKey(projectId, "bob");
            ConsoleClient admin = signedIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
            String path = keys + "/" + key.text("keyId");
            ConsoleClient.Page disabled = admin.post(path + "/disable", Map.of());
            assertThat(disabled.body()).contains("is disabled");
            assertThat(disabled.header("HX-Trigger")).isEqualTo("keys-changed");
            assertThat(api.get("/api/v1/me", key.text("key")).code()).isEqualTo("KEY_DISABLED");
            String table = admin.htmx(keys, "keys-table").body();
            assertThat(table).contains(">Disabled<").contains("class=\"secondary enable\"");
            assertThat(admin.post(path + "/enable", Map.of()).body()).contains("works again");
        }

        @Test
        void renamingShowsTheErrorNextToTheField() {
            Api.Response key = createKey(projectId, "bob");
            ConsoleClient bob = signedIn(key.text("key"));
            String path = keys + "/" + key.text("keyId") + "/rename";
            assertThat(bob.htmx(path).body()).contains("id=\"rename-dialog\"").contains("value=\"key of bob\"");
            ConsoleClient.Page tooLong = bob.post(path, Map.of("name", "x".repeat(101)));
            assertThat(tooLong.status()).isEqualTo(422);
            assertThat(tooLong.body()).contains("id=\"name-error\"");
            assertThat(bob.post(path, Map.of("name", "ci runner")).body()).contains("renamed to ci runner");
            assertThat(api.get("/api/v1/projects/" + projectId + "/keys/" + key.text("keyId"), OPERATOR).text("name"))
                    .isEqualTo("ci runner");
        }

        @Test
        void rollingShowsTheNewSecretOnceAndTheOldKeysGrace() {
            Api.Response key = createKey(projectId, "bob");
            ConsoleClient bob = signedIn(key.text("key"));
            String path = keys + "/" + key.text("keyId") + "/roll";
            assertThat(bob.htmx(path).body()).contains("id=\"roll-dialog\"").contains("value=\"24\"");
            assertThat(bob.post(path, Map.of("graceHours", "200")).body()).contains("id=\"graceHours-error\"");
            ConsoleClient.Page rolled = bob.post(path, Map.of("graceHours", "2"));
            assertThat(rolled.body()).contains("id=\"secret-dialog\"").contains("id=\"grace\"")
                    .contains(key.text("maskedKey")).contains("keeps working until");
            String secret = rolled.body().replaceAll("(?s).*id=\"secret\">([^<]+)<.*", "$1");
            assertThat(api.get("/api/v1/me", secret).text("userId")).isEqualTo("bob");
            assertThat(api.get("/api/v1/me", key.text("key")).status()).isEqualTo(200);
            ConsoleClient.Page again = bob.post(path, Map.of("graceHours", "2"));
            assertThat(again.status()).isEqualTo(422);
            assertThat(again.body()).contains("id=\"form-error\"").contains("rolled already");
        }

        @Test
        void scopesAreSetAtCreationAndShownInTheTable() {
            ConsoleClient bob = signedIn(keyFor(projectId, "bob"));
            ConsoleClient.Page bad = bob.post(keys, Map.of("validDays", "30", "allowedCidrs", "10.0.0.1/8"));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body()).contains("id=\"allowedCidrs-error\"").contains("no host bits set");
            ConsoleClient.Page created = bob.post(keys, Map.of("validDays", "30", "services", "CCS",
                    "allowedCidrs", "140.110.0.0/16\n\n2001:db8::/32\n"));
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            assertThat(bob.htmx(keys, "keys-table").body()).contains("Only for CCS")
                    .contains("Only from 140.110.0.0/16, 2001:db8::/32");
        }
    }

    private String memberOf(String userId) {
        addMember(projectId, userId, "TENANT_USER");
        return userId;
    }

    private static int rows(String html) {
        return html.split("<tr data-key-id=", -1).length - 1;
    }
}
