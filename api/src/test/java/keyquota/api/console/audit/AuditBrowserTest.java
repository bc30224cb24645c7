package keyquota.api.console.audit;

import keyquota.api.console.browser.Browser;
import keyquota.api.console.browser.RequiresChromium;
import keyquota.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log page in a real browser: reached from the header, filtered in place, accessible, on a phone too. */
@RequiresChromium
class AuditBrowserTest extends ApiTest {

    @Test
    void aTenantAdminFiltersTheLogByType() {
        String projectId = createProject();
        String admin = memberKey(projectId, "alice", "TENANT_ADMIN");
        keyFor(projectId, "alice");
        try (Browser browser = Browser.desktop("http://localhost:" + port)) {
            browser.signIn(admin);
            browser.click("a[href='/projects/" + projectId + "/audit']");
            browser.waitFor("table#audit");
            assertThat(browser.driver().findElements(By.cssSelector("tr[data-type=KeyCreated]"))).hasSize(2);
            browser.checkAccessibility("audit");
            new Select(browser.waitFor("#filter-type")).selectByValue("MemberJoined");
            browser.click("#apply-filters");
            new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d ->
                    d.findElements(By.cssSelector("tr[data-type=KeyCreated]")).isEmpty());
            assertThat(browser.driver().findElements(By.cssSelector("tr[data-type=MemberJoined]"))).hasSize(1);
            assertThat(browser.driver().getCurrentUrl()).contains("type=MemberJoined");
            browser.screenshot("audit");
            browser.click("#nav-notifications");
            browser.waitFor("h1");
            assertThat(browser.path()).isEqualTo("/notifications");
            browser.checkAccessibility("notifications");
            browser.click("#nav-webhooks");
            browser.waitFor("table#webhooks");
            browser.checkAccessibility("webhooks");
            browser.click("#create-webhook");
            browser.waitFor("dialog#create-webhook-dialog");
            browser.checkAccessibility("add webhook");
        }
        try (Browser phone = Browser.phone("http://localhost:" + port)) {
            phone.signIn(admin);
            phone.open("/projects/" + projectId + "/audit?lang=zh-TW");
            assertThat(phone.text("h1")).isEqualTo("稽核紀錄");
            assertThat((Boolean) phone.driver().executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
            phone.checkAccessibility("audit phone");
            phone.screenshot("audit-phone-zh-TW");
        }
    }
}
