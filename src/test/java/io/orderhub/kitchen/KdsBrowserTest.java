package io.orderhub.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.orderhub.support.BrowserTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The built-in KDS in headless Chromium: a kitchen tablet signs in, a DoorDash order appears live on the grill and
 * fryer screens and, whole, on the expo screen (read only); the cooks bump it on their screens; the order becomes
 * ready and DoorDash is told "ready for pickup" exactly once. An Uber Eats pickup order reaches Square once under its
 * idempotency key and the soho grill screen; bumping it there tells the customer "ready" once (Uber Eats documents
 * no "ready" call for the merchant, so Uber hears the acceptance only; DoorDash's test shows the channel's ready).
 */
class KdsBrowserTest extends BrowserTestSupport {

    @Test
    void aDoorDashOrderAppearsLiveOnItsStationsAndBumpingItOnThePageTellsDoorDashReadyOnce() throws Exception {
        // a kitchen tablet opens the grill screen: sign-in first, then back to the screen
        openSignedIn("brooklyn", "grill");

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

    @Test
    void anUberEatsPickupOrderReachesSquareOnceAndItsGrillScreenAndBumpingItThereTellsTheCustomerReadyOnce()
            throws Exception {
        openSignedIn("soho", "grill");

        // Uber's webhook is thin: the hub fetches the order (the adapter's UK pickup sample, under a fresh id)
        String uberId = UUID.randomUUID().toString();
        WireMockServer uber = adapterRegistry.sandbox("ubereats").orElseThrow();
        String fetched = Files.readString(Path.of("adapters/ubereats/wiremock/__files/"
                + "order-" + UBER_SAMPLE_ID + ".json")).replace(UBER_SAMPLE_ID, uberId);
        uber.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v2/eats/order/" + uberId)).atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(fetched)));
        String webhook = Files.readString(Path.of("adapters/ubereats/samples/uk-pickup-nested-promo.input.json"))
                .replace(UBER_SAMPLE_ID, uberId).replace(UBER_SAMPLE_EVENT, UUID.randomUUID().toString());
        Reply ack = post("/webhooks/ubereats", webhook, signedWebhook(adapterRegistry.find("ubereats")
                .orElseThrow(), webhook));
        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        String key = "ubereats:order:" + uberId;
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from orders where business_key = ?",
                key) == 1);
        UUID order = jdbc.queryForObject("select id from orders where business_key = ?", UUID.class, key);

        // Square has it once, under the event's idempotency key; Uber heard "accepted" once
        await().atMost(Duration.ofSeconds(30)).until(() -> squareCreates(order) == 1);
        String accept = "/v1/eats/orders/" + uberId + "/accept_pos_order";
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(uber, accept) == 1);

        // both lines (meal deal, burger) cook on the grill: one ticket, live on the open grill screen, nowhere else
        By ticket = By.cssSelector(".ticket[data-order-id='" + order + "']");
        browser.awaitText(ticket, "Classic Burger");
        assertThat(browser.text(ticket)).contains("Meal deal");
        assertThat(jdbc.queryForList("select station from kitchen_ticket where order_id = ?", String.class, order))
                .containsExactly("grill");

        // what the cook must not miss: the allergy banner in red, the line's note and modifiers, a rush badge (Uber
        // promised it sooner than the kitchen can make it), the time since it fired; past its due time it turns red
        String card = ".ticket[data-order-id='" + order + "'] ";
        assertThat(browser.text(By.cssSelector(card + ".allergy"))).startsWith("ALLERGY: ").contains("TREE_NUTS");
        assertThat(browser.script("return getComputedStyle(arguments[0]).backgroundColor",
                browser.driver().findElement(By.cssSelector(card + ".allergy")))).isEqualTo(RED);
        assertThat(browser.text(By.cssSelector(card + ".item .note"))).contains("Keine Zwiebeln");
        assertThat(browser.text(By.cssSelector(card + ".item .mods"))).isEqualTo("Fries, Fries / Large");
        assertThat(browser.text(ticket)).contains("Medium");
        assertThat(browser.text(By.cssSelector(card + ".badge.rush"))).isEqualTo("rush");
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.text(By.cssSelector(card + ".elapsed"))
                .matches("\\d+:\\d{2}"));
        assertThat(browser.driver().findElement(ticket).getAttribute("class")).doesNotContain("late");
        browser.script("arguments[0].dataset.due = new Date(Date.now() - 60000).toISOString()",
                browser.driver().findElement(ticket));
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.driver().findElement(ticket).getAttribute("class")
                .contains("late"));
        assertThat(browser.script("return getComputedStyle(arguments[0]).borderTopColor",
                browser.driver().findElement(ticket))).isEqualTo(RED);

        browser.click(By.cssSelector(".ticket[data-order-id='" + order + "'] .bump-ticket"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver().findElements(ticket).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> status(order).equals("ready"));

        // the customer hears "ready" once; Uber gets nothing beyond the fetch and the acceptance
        await().atMost(Duration.ofSeconds(30)).until(() -> customerWebhooks(order, "order.ready") == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                customerWebhooks(order, "order.ready") == 1 && squareCreates(order) == 1
                        && uber.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().contains(uberId))
                        .count() == 2);
        assertThat(browser.driver().findElement(By.id("kds-error")).isDisplayed()).isFalse();
    }

    /** #d22, the KDS page's colour for allergies and late tickets (kds.css). */
    private static final String RED = "rgb(221, 34, 34)";
    private static final String UBER_SAMPLE_ID = "3f6b2a9e-1c4d-4e8f-a0b7-5d9c8e1f2a3b";
    private static final String UBER_SAMPLE_EVENT = "c4d1e6f0-5a2b-4c3d-9e8f-0a1b2c3d4e5f";

    /** A kitchen tablet signs in on the screen's own page and is back on the live screen. */
    private void openSignedIn(String location, String station) {
        browser.driver().manage().deleteAllCookies();
        browser.driver().get(base() + "/kds/?location=" + location + "&station=" + station);
        browser.await(By.id("username")).sendKeys("kitchen");
        browser.driver().findElement(By.id("password")).sendKeys("test-kitchen-pass");
        browser.driver().findElement(By.id("login-submit")).click();
        browser.awaitText(By.id("kds-title"), location + " · " + station);
        browser.awaitText(By.id("kds-status"), "live");
    }

    private static long customerWebhooks(UUID order, String type) {
        return CUSTOMER_APP.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains(order.toString()))
                .filter(e -> e.getRequest().getBodyAsString().contains("\"type\":\"" + type + "\""))
                .count();
    }

    private String status(UUID order) {
        return jdbc.queryForObject("select status from orders where id = ?", String.class, order);
    }

    private static long calls(WireMockServer server, String pathEnd) {
        return server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().endsWith(pathEnd)).count();
    }
}
