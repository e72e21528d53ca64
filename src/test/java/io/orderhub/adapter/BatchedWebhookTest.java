package io.orderhub.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * One Clover POST naming two orders and a payment: the kit stores each event as its own intake (its own event key)
 * and none is lost behind another; both orders exist once.
 */
class BatchedWebhookTest extends HubTestSupport {

    @Test
    void aBatchedCloverWebhookIsStoredAsOneIntakePerEventAndEveryOrderIsTaken() throws Exception {
        long ts = System.currentTimeMillis();
        String body = """
                {"appId": "DRKVJT2ZRRRSC", "merchants": {"MQ5Z2KXN8PQR1": [
                  {"objectId": "P:J1V9M6X2Q8R4T", "type": "CREATE", "ts": %d},
                  {"objectId": "O:7RQ2D9X4K1M8B", "type": "CREATE", "ts": %d},
                  {"objectId": "O:3TQ8V1MZK6W2P", "type": "UPDATE", "ts": %d}]}}
                """.formatted(ts, ts + 1, ts + 2);
        Reply r = post("/webhooks/clover", body, signedWebhook(adapterRegistry.find("clover").orElseThrow(), body));
        assertThat(r.status()).as(r.body()).isBetween(200, 299);
        for (String key : new String[] {"P:J1V9M6X2Q8R4T:CREATE:" + ts, "O:7RQ2D9X4K1M8B:CREATE:" + (ts + 1),
            "O:3TQ8V1MZK6W2P:UPDATE:" + (ts + 2)}) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForList(
                    "select state from intake where source = 'clover' and idempotency_key = ?", String.class,
                    "event:" + key)).as(key).singleElement().isIn("ACCEPTED", "DUPLICATE", "PROCESSED"));
        }
        // the walk-in paid at the register is an order, once; the open, unpaid one is not taken yet (README)
        assertThat(count("select count(*) from orders where business_key = 'clover:order:3TQ8V1MZK6W2P'"))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select reason from intake where source = 'clover' and idempotency_key = ?",
                String.class, "event:P:J1V9M6X2Q8R4T:CREATE:" + ts)).contains("payment");
        // the same POST again (Clover retries): every event a retry, nothing new
        int intakes = count("select count(*) from intake where source = 'clover'");
        assertThat(post("/webhooks/clover", body, signedWebhook(adapterRegistry.find("clover").orElseThrow(), body))
                .status()).isBetween(200, 299);
        assertThat(count("select count(*) from intake where source = 'clover'")).isEqualTo(intakes);
    }

    @Test
    void cloversUnsignedVerificationPostIsAnsweredAndNothingElseUnsignedIs() throws Exception {
        int intakes = count("select count(*) from intake where source = 'clover'");
        assertThat(post("/webhooks/clover", "{\"verificationCode\": \"8f1c2b7e-4d3a\"}",
                java.util.Map.of("Content-Type", "application/json")).status()).isEqualTo(200);
        assertThat(post("/webhooks/clover", "{\"verificationCode\": \"8f1c2b7e\", \"merchants\": {}}",
                java.util.Map.of("Content-Type", "application/json")).status()).isEqualTo(401);
        assertThat(post("/webhooks/clover", "{\"appId\": \"X\", \"merchants\": {\"MQ5Z2KXN8PQR1\": []}}",
                java.util.Map.of("Content-Type", "application/json")).status()).isEqualTo(401);
        assertThat(count("select count(*) from intake where source = 'clover'")).isEqualTo(intakes);
    }
}
