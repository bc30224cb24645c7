package keyquota.api.console.quota;

import keyquota.api.console.browser.Browser;
import keyquota.api.console.browser.RequiresChromium;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The quota request screen in a real browser: a member asks, a tenant admin approves, with axe checks. */
@RequiresChromium
class QuotaRequestBrowserTest extends ApiTest {

    private String projectId;
    private Browser browser;

    @BeforeEach
    void project() {
        projectId = createProject();
        assertThat(api.put("/api/v1/projects/" + projectId + "/quotas/CCS", OPERATOR,
                Api.json("quota", Map.of("gpu", 4))).status()).isEqualTo(200);
        addMember(projectId, "bob", "TENANT_USER");
        addMember(projectId, "alice", "TENANT_ADMIN");
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aMemberAsksAndATenantAdminApproves() {
        browser = Browser.desktop("http://localhost:" + port);
        browser.signIn(keyFor(projectId, "bob"));
        browser.click("a[href='/projects/" + projectId + "/quota-requests']");
        assertThat(browser.text("h1")).isEqualTo("Quota requests");
        browser.checkAccessibility("quota requests");

        browser.click("#ask-quota");
        browser.waitFor("dialog#ask-dialog");
        browser.click("#submit-ask");
        waitForText("#reason-error", "Required.");
        browser.checkAccessibility("ask, with errors");
        browser.fill("#ask-gpu", "2");
        browser.fill("#ask-reason", "a training run");
        browser.click("#submit-ask");
        waitForText("#status", "Asked for a CCS quota for bob.");
        waitForText("#quota-requests", "Pending");
        assertThat(browser.driver().findElements(By.cssSelector("dialog[open]"))).isEmpty();
        browser.screenshot("quota-requests-member");
        browser.click("#sign-out button");

        browser.signIn(keyFor(projectId, "alice"));
        browser.open("/projects/" + projectId + "/quota-requests");
        browser.click("button.decide");
        browser.waitFor("dialog#decide-dialog");
        browser.checkAccessibility("decide");
        browser.click("#approve");
        waitForText("#status", "Approved the CCS quota request of bob");
        waitForText("#quota-requests", "Approved");
        browser.checkAccessibility("quota requests, decided");
        assertThat(api.get("/api/v1/projects/" + projectId + "/quota-requests", OPERATOR).body()
                .path("requests").get(0).path("status").asString()).isEqualTo("APPROVED");
    }

    private void waitForText(String css, String text) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .withMessage(() -> css + " to say " + text)
                // htmx may swap the element between finding it and reading it
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.cssSelector(css)).getText().contains(text));
    }
}
