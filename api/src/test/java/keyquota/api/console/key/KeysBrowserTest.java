package keyquota.api.console.key;

import keyquota.api.console.browser.Browser;
import keyquota.api.console.browser.RequiresChromium;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The API key management screen in a real browser, for a tenant admin and a tenant user, on a desktop and a phone. */
@RequiresChromium
class KeysBrowserTest extends ApiTest {

    private String projectId;
    private Browser browser;

    @BeforeEach
    void project() {
        projectId = createProject();
        addMember(projectId, "bob", "TENANT_USER");
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void tenantAdminCreatesExtendsAndDeletesKeysOfMembers() {
        String admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        browser = Browser.desktop("http://localhost:" + port);
        browser.signIn(admin);
        assertThat(browser.path()).isEqualTo("/projects/" + projectId + "/keys");
        assertThat(rows()).hasSize(1);
        browser.checkAccessibility("keys");
        browser.screenshot("keys-admin");

        // Create a key for bob: the secret is shown once, with a warning and a copy button.
        browser.click("#create-key");
        browser.waitFor("dialog#create-key-dialog");
        browser.checkAccessibility("create key");
        browser.fill("#name", "training job");
        new org.openqa.selenium.support.ui.Select(browser.waitFor("#userId")).selectByValue("bob");
        browser.fill("#validDays", "400");
        browser.click("#confirm-create");
        assertThat(browser.text("#validDays-error")).contains("1 to 365");
        browser.fill("#validDays", "30");
        browser.click("#confirm-create");
        String secret = browser.text("#secret");
        Api.SECRETS_SEEN.add(secret);
        assertThat(secret).startsWith("kq_");
        assertThat(browser.text("#secret-dialog .warning")).contains("will not be shown again");
        browser.checkAccessibility("secret");
        browser.screenshot("keys-secret");
        browser.click("#copy-secret");
        browser.waitFor("#status p, #status");
        browser.click("#secret-dialog [data-close]");
        browser.waitForNone("#secret-dialog");
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);
        // The table reloaded itself with bob's new key, and the key works.
        waitForRows(2);
        assertThat(api.get("/api/v1/me", secret).text("userId")).isEqualTo("bob");

        // Extend: the new expiry is worked out while typing; too far is explained in place. Bob's key was extended
        // elsewhere to 395 days from now: another 365 would pass the 730-day limit.
        String bobKeyId = rowOf("bob").getAttribute("data-key-id");
        assertThat(api.post("/api/v1/projects/" + projectId + "/keys/" + bobKeyId + "/extend", OPERATOR,
                Api.json("days", 365)).status()).isEqualTo(200);
        rowOf("bob").findElement(By.cssSelector(".extend")).click();
        browser.waitFor("dialog#extend-dialog");
        browser.fill("#days", "10");
        assertThat(browser.text("#new-expiry")).isNotBlank();
        browser.checkAccessibility("extend");
        browser.fill("#days", "365");
        assertThat(browser.text("#days-error")).contains("730 days from now");
        browser.click("#confirm-extend");
        browser.waitFor("#extend-dialog #days-error");
        assertThat(browser.text("#days-error")).contains("730 days from now");
        browser.fill("#days", "10");
        browser.click("#confirm-extend");
        browser.waitFor("#status p");
        assertThat(browser.text("#status")).contains("now expires at");
        assertThat(browser.driver().findElements(By.cssSelector("dialog[open]"))).isEmpty();

        // Delete bob's key: the confirmation names it.
        rowOf("bob").findElement(By.cssSelector("input[name=keyId]")).click();
        browser.click("#delete-selected");
        browser.waitFor("dialog#delete-dialog");
        assertThat(browser.text("#delete-dialog")).contains("training job").contains("cannot be undone");
        browser.checkAccessibility("delete");
        browser.click("#confirm-delete");
        waitForRows(1);
        assertThat(browser.text("#status")).contains("1 key deleted");
        assertThat(api.get("/api/v1/me", secret).status()).isEqualTo(401);
    }

    @Test
    void tenantUserSeesOnlyOwnKeysWithoutOwnerChoices() {
        String bob = keyFor(projectId, "bob");
        keyFor(projectId, "bob");
        memberKey(projectId, "alice", "TENANT_ADMIN");
        browser = Browser.desktop("http://localhost:" + port);
        browser.signIn(bob);
        assertThat(rows()).hasSize(2);
        assertThat(browser.driver().findElements(By.cssSelector("#filter-owner"))).isEmpty();
        browser.click("#create-key");
        browser.waitFor("dialog#create-key-dialog");
        assertThat(browser.driver().findElements(By.cssSelector("#userId"))).isEmpty();
        browser.driver().findElement(By.cssSelector("#create-key-dialog")).sendKeys(Keys.ESCAPE);
        browser.click("#delete-selected");
        assertThat(browser.text("#status")).contains("Select the keys to delete first");

        // Disable the other key from its row (disabling the one signed in with would end the session); roll this
        // one: the new secret once, with the old key's grace, through which the session goes on.
        String signedInWith = api.get("/api/v1/me", bob).text("keyId");
        rowWhere(id -> !id.equals(signedInWith)).findElement(By.cssSelector(".disable")).click();
        browser.waitFor("tr[data-key-id] .enable");
        assertThat(browser.text("#status")).contains("is disabled");
        rowWhere(signedInWith::equals).findElement(By.cssSelector(".roll")).click();
        browser.waitFor("dialog#roll-dialog");
        browser.checkAccessibility("roll");
        browser.fill("#graceHours", "1");
        browser.click("#confirm-roll");
        Api.SECRETS_SEEN.add(browser.text("#secret"));
        assertThat(browser.text("#grace")).contains("keeps working until");
        browser.click("#secret-dialog [data-close]");
        browser.waitForNone("#secret-dialog");
        waitForRows(3);
        browser.checkAccessibility("keys with a disabled and a rolled key");
    }

    @Test
    void traditionalChineseIsChosenAndRemembered() {
        String bob = memberKey(projectId, "bob2", "TENANT_USER");
        browser = Browser.phone("http://localhost:" + port);
        browser.open("/sign-in?lang=zh-TW");
        assertThat(browser.text("label[for=key]")).isEqualTo("API 金鑰");
        browser.signIn(bob);
        assertThat(browser.text("h1")).isEqualTo("API 金鑰管理");
        assertThat(browser.viewport().getWidth()).isEqualTo(375);
        assertThat((Boolean) browser.driver().executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        browser.checkAccessibility("keys zh-TW phone");
        browser.screenshot("keys-phone-zh-TW");
        browser.click("a[hreflang=en]");
        assertThat(browser.text("h1")).isEqualTo("API key management");
    }

    @Test
    void aDeletedKeyEndsItsSessionOnTheNextRequest() {
        Api.Response created = createKey(projectId, "bob");
        browser = Browser.desktop("http://localhost:" + port);
        browser.signIn(created.text("key"));
        assertThat(api.delete("/api/v1/projects/" + projectId + "/keys/" + created.text("keyId"), OPERATOR)
                .status()).isEqualTo(204);
        browser.click("#create-key");
        browser.waitFor("#key");
        assertThat(browser.path()).isEqualTo("/sign-in");
        assertThat(browser.text("#ended")).contains("deleted");
    }

    private List<WebElement> rows() {
        browser.waitFor("table#keys");
        return browser.driver().findElements(By.cssSelector("table#keys tr[data-key-id]"));
    }

    private void waitForRows(int count) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                .until(d -> d.findElements(By.cssSelector("table#keys tr[data-key-id]")).size() == count);
    }

    private WebElement rowWhere(java.util.function.Predicate<String> keyId) {
        return rows().stream().filter(row -> keyId.test(row.getAttribute("data-key-id"))).findFirst().orElseThrow();
    }

    private WebElement rowOf(String userId) {
        return rows().stream().filter(row -> row.getText().contains(userId)).findFirst().orElseThrow();
    }
}
