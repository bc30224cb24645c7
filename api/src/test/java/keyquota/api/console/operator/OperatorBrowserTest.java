package keyquota.api.console.operator;

import keyquota.api.console.browser.Browser;
import keyquota.api.console.browser.RequiresChromium;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's pages in a real browser: a project created from the keyboard, a member added, a service key
 * created and deleted, a read model rebuilt to the end; every page and dialog checked with axe-core; the projects
 * page on a phone.
 */
@RequiresChromium
class OperatorBrowserTest extends ApiTest {

    private Browser browser;

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theOperatorManagesProjectsMembersServiceKeysAndReadModels() {
        browser = Browser.desktop("http://localhost:" + port);
        browser.signIn(OPERATOR);
        assertThat(browser.path()).isEqualTo("/projects");
        browser.waitFor("table#projects");
        browser.checkAccessibility("projects");

        // Create a project with the keyboard alone; a taken ID is explained next to the field.
        String taken = createProject();
        String projectId = "GOV" + UUID.randomUUID().toString().substring(0, 8);
        browser.waitFor("#create-project").sendKeys(Keys.ENTER);
        browser.waitFor("dialog#create-project-dialog");
        browser.checkAccessibility("create project");
        active().sendKeys(taken, Keys.TAB, "Rain study", Keys.ENTER);
        assertThat(browser.text("#projectId-error")).contains("exists already");
        browser.checkAccessibility("create project with an error");
        browser.fill("#projectId", projectId);
        active().sendKeys(Keys.ENTER);
        waitUntil(() -> browser.driver().findElements(By.cssSelector("dialog[open]")).isEmpty());
        assertThat(browser.text("#status")).contains("Rain study (" + projectId + ") created");
        assertThat(api.get("/api/v1/projects/" + projectId, OPERATOR).text("name")).isEqualTo("Rain study");
        browser.screenshot("operator-projects");

        // Add a member on the project's members page.
        browser.open("/projects/" + projectId + "/members");
        browser.waitFor("table#members");
        browser.checkAccessibility("members");
        browser.click("#add-member");
        browser.waitFor("dialog#add-member-dialog");
        browser.checkAccessibility("add member");
        browser.fill("#userId", "alice");
        new Select(browser.waitFor("#role")).selectByValue("TENANT_ADMIN");
        browser.click("#confirm-add");
        WebElement alice = browser.waitFor("tr[data-user-id=alice]");
        assertThat(alice.getText()).contains("tenant admin");
        assertThat(browser.text("#status")).contains("alice added as tenant admin");
        alice.findElement(By.cssSelector(".change-role")).click();
        browser.waitFor("dialog#role-dialog");
        browser.checkAccessibility("change role");
        active().sendKeys(Keys.ESCAPE);
        waitUntil(() -> browser.driver().findElements(By.cssSelector("dialog")).isEmpty());
        browser.waitFor("tr[data-user-id=alice] .remove").click();
        browser.waitFor("dialog#remove-dialog");
        assertThat(browser.text("#remove-dialog .warning")).contains("refused at once");
        browser.checkAccessibility("remove member");
        browser.click("#remove-dialog [data-close]");

        // Create a service key for CCS: its secret once, then delete it.
        browser.click("a[href='/service-keys']");
        browser.waitFor("table#service-keys");
        browser.checkAccessibility("service keys");
        browser.click("#create-service-key");
        browser.waitFor("dialog#create-service-key-dialog");
        browser.checkAccessibility("create service key");
        String name = "ccs " + UUID.randomUUID().toString().substring(0, 8);
        browser.fill("#name", name);
        new Select(browser.waitFor("#service")).selectByValue("CCS");
        browser.click("#confirm-create");
        String secret = browser.text("#secret");
        Api.SECRETS_SEEN.add(secret);
        assertThat(secret).startsWith("kq_");
        assertThat(browser.text("#secret-dialog .warning")).contains("will not be shown again");
        browser.checkAccessibility("service key secret");
        browser.click("#copy-secret");
        browser.click("#secret-dialog [data-close]");
        browser.waitForNone("#secret-dialog");
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);
        assertThat(api.get("/api/v1/me", secret).text("service")).isEqualTo("CCS");
        WebElement row = waitForRow(name);
        row.findElement(By.cssSelector(".delete")).click();
        browser.waitFor("dialog#delete-service-key-dialog");
        browser.checkAccessibility("delete service key");
        browser.click("#confirm-delete");
        waitUntil(() -> !browser.driver().findElement(By.id("service-keys-table")).getText().contains(name));
        assertThat(browser.text("#status")).contains("deleted");
        assertThat(api.get("/api/v1/me", secret).status()).isEqualTo(401);

        // Rebuild a read model: the table follows its progress until it is over.
        browser.click("a[href='/read-models']");
        browser.waitFor("table#read-models");
        browser.checkAccessibility("read models");
        browser.click("#replay-projects");
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d ->
                d.findElement(By.id("status")).getText().contains("Projects rebuilt."));
        assertThat(browser.waitFor("tr[data-read-model=projects]").getAttribute("data-replaying")).isEqualTo("false");
        assertThat(browser.driver().findElement(By.id("read-models-table")).getAttribute("hx-trigger")).isNull();
        browser.checkAccessibility("read models rebuilt");
        browser.screenshot("operator-read-models");

        browser.click("a[href='/dead-letters']");
        browser.waitFor("table#dead-letters");
        browser.checkAccessibility("dead letters");
        browser.click("#retry-dead-letters");
        waitUntil(() -> browser.driver().findElement(By.id("status")).getText().contains("went through"));
    }

    @Test
    void theProjectsPageFitsAPhoneInTraditionalChinese() {
        createProject();
        browser = Browser.phone("http://localhost:" + port);
        browser.open("/sign-in?lang=zh-TW");
        browser.signIn(OPERATOR);
        assertThat(browser.text("h1")).isEqualTo("計畫");
        browser.waitFor("table#projects");
        assertThat(browser.viewport().getWidth()).isEqualTo(375);
        assertThat((Boolean) browser.driver().executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        browser.checkAccessibility("projects zh-TW phone");
        browser.click("#create-project");
        browser.waitFor("dialog#create-project-dialog");
        browser.checkAccessibility("create project zh-TW phone");
        browser.screenshot("operator-projects-phone-zh-TW");
    }

    private WebElement active() {
        return browser.driver().switchTo().activeElement();
    }

    private WebElement waitForRow(String text) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d ->
                d.findElements(By.cssSelector("#service-keys tr[data-key-id]")).stream()
                        .filter(row -> row.getText().contains(text)).findFirst().orElse(null));
    }

    private void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d -> condition.getAsBoolean());
    }
}
