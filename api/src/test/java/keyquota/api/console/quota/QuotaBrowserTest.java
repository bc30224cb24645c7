package keyquota.api.console.quota;

import keyquota.api.console.browser.Browser;
import keyquota.api.console.browser.RequiresChromium;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The resource quota management screen in a real browser: a tenant admin's edit on a desktop, and on a phone. */
@RequiresChromium
class QuotaBrowserTest extends ApiTest {

    private String projectId;
    private String ccs;
    private Browser browser;

    /** CCS quota cpu 10, gpu 2, memory 64; bob (a tenant user) uses 4 cpu. */
    @BeforeEach
    void project() {
        projectId = createProject();
        ccs = "/projects/" + projectId + "/quotas/CCS";
        addMember(projectId, "bob", "TENANT_USER");
        assertThat(api.put("/api/v1" + ccs, OPERATOR, Api.json("quota", Map.of("cpu", 10, "gpu", 2, "memory", 64)))
                .status()).isEqualTo(200);
        assertThat(api.post("/api/v1" + ccs + "/allocations", OPERATOR, Api.json("allocationId",
                UUID.randomUUID().toString(), "userId", "bob", "resources", Map.of("cpu", 4))).status())
                .isEqualTo(201);
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void tenantAdminSetsAMemberQuotaBelowUsageWithForce() {
        browser = Browser.desktop("http://localhost:" + port);
        browser.signIn(memberKey(projectId, "alice", "TENANT_ADMIN"));
        browser.click("a[href='/projects/" + projectId + "/quotas']");
        assertThat(browser.text("h1")).isEqualTo("Resource quota management");
        assertThat(browser.text("#bar-cpu-amount")).isEqualTo("4 / 10 (40%)");
        browser.checkAccessibility("quotas");
        browser.screenshot("quotas-admin");

        // Keyboard only: the member's button opens the dialog, focus goes into it.
        browser.waitFor("#edit-bob").sendKeys(Keys.ENTER);
        browser.waitFor("dialog#quota-dialog");
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("quota-cpu");
        assertThat(browser.text("#quota-cpu-check")).contains("Usage: 4.").contains("from 4 to 10");
        browser.checkAccessibility("edit quota");

        // While typing, the dry run's answer appears next to the field.
        browser.fill("#quota-cpu", "12");
        waitForText("#quota-cpu-check", "Above the project quota of 10.");
        browser.fill("#quota-cpu", "3");
        waitForText("#quota-cpu-check", "Below the usage of 4.");
        assertThat(browser.text("#force-warning")).contains("only with force");
        browser.checkAccessibility("edit quota, force offered");
        browser.screenshot("quotas-force");
        browser.click("#save-quota");
        waitForText("#force-error", "Tick force");
        assertThat(memberCpu()).isEqualTo(-1);

        browser.click("#force");
        browser.click("#save-quota");
        waitForText("#status", "saved, below usage");
        assertThat(browser.driver().findElements(By.cssSelector("dialog[open]"))).isEmpty();
        // the view reloaded itself, and focus is back on the member's button
        waitForText("tr[data-user-id=bob]", "Over quota");
        assertThat(browser.text("tr[data-user-id=bob] td[data-resource=cpu]")).contains("4 / 3 (133%)");
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d ->
                "edit-bob".equals(browser.driver().switchTo().activeElement().getAttribute("id")));
        assertThat(memberCpu()).isEqualTo(3);
    }

    @Test
    void onAPhoneInTraditionalChineseNothingOverflows() {
        String admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        browser = Browser.phone("http://localhost:" + port);
        browser.open("/sign-in?lang=zh-TW");
        browser.signIn(admin);
        browser.open("/projects/" + projectId + "/quotas/VCS");
        assertThat(browser.text("h1")).isEqualTo("資源配額管理");
        assertThat(browser.text("nav.services a[aria-current=page]")).contains("VCS");
        assertThat(browser.viewport().getWidth()).isEqualTo(375);
        assertThat(fitsTheWidth()).isTrue();
        browser.checkAccessibility("quotas zh-TW phone");
        browser.screenshot("quotas-phone-zh-TW");

        browser.click("nav.services a[href$='/CCS']");
        browser.click("#edit-bob");
        browser.waitFor("dialog#quota-dialog");
        browser.fill("#quota-cpu", "3");
        waitForText("#quota-cpu-check", "低於目前使用量 4。");
        assertThat(fitsTheWidth()).isTrue();
        browser.checkAccessibility("edit quota zh-TW phone");
        browser.screenshot("quotas-dialog-phone-zh-TW");
    }

    private boolean fitsTheWidth() {
        return (Boolean) browser.driver().executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth");
    }

    private void waitForText(String css, String text) {
        new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .withMessage(() -> css + " to say " + text)
                .until(d -> d.findElement(By.cssSelector(css)).getText().contains(text));
    }

    private long memberCpu() {
        for (var row : api.get("/api/v1" + ccs, OPERATOR).body().path("members")) {
            if (row.path("userId").asString().equals("bob")) {
                return row.path("quota").path("cpu").asLong();
            }
        }
        throw new AssertionError("no row for bob");
    }
}
