package io.orderhub.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.adapter.Adapter;
import io.orderhub.support.HubTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Duplicate storm (issue 6): every DoorDash order webhook arrives three times at once (a vendor retrying while the
 * first delivery is still in flight). The hub answers all three as DoorDash expects an acknowledgement (200,
 * nothing else: a non-2xx would make DoorDash retry again), stores one intake and one order, and every stage
 * handles that order once: one Square CreateOrder, one KDS ticket per station, one confirmation to DoorDash.
 * The two repeats are counted as replays (metric orderhub.webhooks.replayed).
 */
class DuplicateStormTest extends HubTestSupport {

    private static final int ORDERS = Integer.getInteger("orderhub.drill.storm-orders", 50);
    private static final int COPIES = 3;

    @Autowired
    MeterRegistry meters;

    @Test
    void eachWebhookSentThreeTimesAtOnceMakesOneOrderAndOneDeliveryPerStage() throws Exception {
        Adapter doordash = adapterRegistry.find("doordash").orElseThrow();
        String sample = Files.readString(Path.of("adapters/doordash/samples/delivery-asap-tip.input.json"));
        double replayedBefore = replayed();
        List<String> vendorIds = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            vendorIds.add(UUID.randomUUID().toString());
        }
        // 4 orders at a time, the 3 copies of one webhook released together by a barrier
        ExecutorService senders = Executors.newFixedThreadPool(COPIES * 4);
        List<Future<Reply>> answers = new ArrayList<>();
        try {
            for (String vendorId : vendorIds) {
                String body = sample.replace("3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61", vendorId);
                Map<String, String> headers = signedWebhook(doordash, body);
                CyclicBarrier together = new CyclicBarrier(COPIES);
                for (int c = 0; c < COPIES; c++) {
                    answers.add(senders.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return post("/webhooks/doordash", body, headers);
                    }));
                }
            }
            int markedDuplicate = 0;
            for (Future<Reply> answer : answers) {
                Reply r = answer.get(60, TimeUnit.SECONDS);
                // what DoorDash's descriptor says to answer (ack.status 200, no body), to the first and the repeats
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).isEmpty();
                if (r.raw().headers().firstValue(io.orderhub.adapter.WebhookController.DUPLICATE_HEADER)
                        .orElse("").equals("true")) {
                    markedDuplicate++;
                }
            }
            // the repeats are answered as duplicates (same 200, marked), the first copy of each is not
            assertThat(markedDuplicate).as("answers marked as duplicates").isEqualTo(ORDERS * (COPIES - 1));
        } finally {
            senders.shutdownNow();
        }
        assertThat(replayed() - replayedBefore).as("webhooks answered as repeats").isEqualTo(ORDERS * (COPIES - 1));

        List<UUID> orders = new ArrayList<>();
        for (String vendorId : vendorIds) {
            assertThat(count("select count(*) from intake where source = 'doordash' and idempotency_key like ?",
                    "event:" + vendorId + ":%")).as("intakes of " + vendorId).isEqualTo(1);
            String key = "doordash:order:" + vendorId;
            await().atMost(Duration.ofSeconds(60)).until(() -> count(
                    "select count(*) from orders where business_key = ?", key) >= 1);
            assertThat(count("select count(*) from orders where business_key = ?", key)).isEqualTo(1);
            orders.add(jdbc.queryForObject("select id from orders where business_key = ?", UUID.class, key));
        }
        String in = orders.stream().map(o -> "'" + o + "'").collect(Collectors.joining(","));
        // a DoorDash order concerns all four stages: POS, kitchen, the vendor told, the customer confirmed
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(count(
                "select count(*) from stage_delivery where order_id in (" + in + ")")).isEqualTo(ORDERS * 4));
        assertThat(count("select count(*) from (select order_id, stage from stage_delivery where order_id in (" + in
                + ") group by order_id, stage having count(*) > 1) d")).as("a stage handled an order twice").isZero();
        assertThat(count("select count(*) from dead_letter where order_id in (" + in + ")")).isZero();

        WireMockServer square = squareSandbox();
        WireMockServer dd = adapterRegistry.sandbox("doordash").orElseThrow();
        for (int i = 0; i < ORDERS; i++) {
            UUID order = orders.get(i);
            String vendorId = vendorIds.get(i);
            long created = square.getAllServeEvents().stream()
                    .filter(e -> "POST".equals(e.getRequest().getMethod().getName())
                            && e.getRequest().getUrl().startsWith("/v2/orders")
                            && e.getResponse().getStatus() == 200
                            && e.getRequest().getBodyAsString().contains(order.toString()))
                    .count();
            assertThat(created).as("Square CreateOrder of " + order).isEqualTo(1);
            assertThat(count("select count(*) from kitchen_ticket where order_id = ?", order))
                    .as("KDS tickets of " + order).isPositive()
                    .isEqualTo(count("select count(distinct station) from kitchen_ticket where order_id = ?", order));
            long confirmed = dd.getAllServeEvents().stream()
                    .filter(e -> "PATCH".equals(e.getRequest().getMethod().getName())
                            && e.getRequest().getUrl().equals("/marketplace/api/v1/orders/" + vendorId))
                    .count();
            assertThat(confirmed).as("DoorDash confirmations of " + vendorId).isEqualTo(1);
        }
    }

    private double replayed() {
        Counter c = meters.find("orderhub.webhooks.replayed").tag("adapter", "doordash").counter();
        return c == null ? 0 : c.count();
    }
}
