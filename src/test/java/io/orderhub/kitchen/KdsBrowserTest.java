package io.orderhub.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.orderhub.support.BrowserTestSupport;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The built-in KDS in headless Chromium: a kitchen tablet signs in, a DoorDash order appears live on the grill and
 * fryer screens and, whole, on the expo screen (read only); the cooks bump it on their screens; the order becomes
 * ready and DoorDash is told "ready for pickup" exactly once.
 */
class KdsBrowserTest extends BrowserTestSupport {

    @Test
    void aDoorDashOrderAppearsLiveOnItsStationsAndBumpingItOnThePageTellsDoorDashReadyOnce() throws Exception {
        // a kitchen tablet opens the grill screen: sign-in first, then back to the screen
        browser.driver().manage().deleteAllCookies();
        browser.driver().get(base() + "/kds/?location=brooklyn&station=grill");
        browser.await(By.id("username")).sendKeys("kitchen");
        browser.driver().findElement(By.id("password")).sendKeys("test-kitchen-pass");
        browser.driver().findElement(By.id("login-submit")).click();
        browser.awaitText(By.id("kds-title"), "brooklyn · grill");
        browser.awaitText(By.id("kds-status"), "live");

        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);

        // live: the ticket arrives on the open screen without a reload
        By grillTicket = By.cssSelector(".ticket[data-order-id='" + order + "']");
        browser.awaitText(grillTicket, "Classic Burger");
        assertThat(browser.text(grillTicket)).doesNotContain("Fries");

        // expo: the whole order, both stations, no buttons
        browser.driver().get(base() + "/kds/?location=brooklyn&station=expo");
        By group = By.cssSelector(".order-group[data-order-id='" + order + "']");
        browser.awaitText(group, "2 station(s)");
        assertThat(browser.text(group)).contains("Classic Burger").contains("Fries");
        assertThat(browser.driver().findElements(By.cssSelector(".order-group[data-order-id='" + order
                + "'] button"))).isEmpty();

        // the grill cook marks the burger done (the order starts), the fryer cook bumps the fries ticket
        browser.driver().get(base() + "/kds/?location=brooklyn&station=grill");
        browser.awaitText(grillTicket, "Classic Burger");
        browser.click(By.cssSelector(".ticket[data-order-id='" + order + "'] .item[data-index='0'] .bump-item"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(order).equals("in_preparation"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver().findElements(grillTicket).isEmpty());

        browser.driver().get(base() + "/kds/?location=brooklyn&station=fryer");
        By fryerTicket = By.cssSelector(".ticket[data-order-id='" + order + "']");
        browser.awaitText(fryerTicket, "Fries");
        browser.click(By.cssSelector(".ticket[data-order-id='" + order + "'] .bump-ticket"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver().findElements(fryerTicket).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> status(order).equals("ready"));

        WireMockServer dd = adapterRegistry.sandbox("doordash").orElseThrow();
        String readyPath = "/orders/" + vendorId + "/events/order_ready_for_pickup";
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(dd, readyPath) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> calls(dd, readyPath) == 1);
        assertThat(browser.driver().findElement(By.id("kds-error")).isDisplayed()).isFalse();
    }

    private String status(UUID order) {
        return jdbc.queryForObject("select status from orders where id = ?", String.class, order);
    }

    private static long calls(WireMockServer server, String pathEnd) {
        return server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().endsWith(pathEnd)).count();
    }
}
