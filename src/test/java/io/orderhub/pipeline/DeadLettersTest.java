package io.orderhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.HubProperties;
import io.orderhub.observability.HubMetrics;
import io.orderhub.support.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a wait for the vendor costs a message (the error policy's park-until-vendor-ready, DeadLetters.park and
 * exhausted), followed across its parked copies as the broker would deliver them: each copy is a new message
 * (delivery count 1) carrying the headers the park set.
 */
class DeadLettersTest {

    private static final int MAX_DELIVERIES = 6;
    private static final int MAX_FREE_VENDOR_ERRORS = 3;

    private final TestDatabases databases = new TestDatabases();
    private final JdbcTemplate jdbc = new JdbcTemplate(databases.create().get(0).dataSource());
    private final CamelContext camel = new DefaultCamelContext();
    private final DeadLetters deadLetters = new DeadLetters(new DeliveryFailures(jdbc, Clock.systemUTC()), null,
            new HubMetrics(new SimpleMeterRegistry()), new HubProperties(null, null, null, List.of("channel-status"),
            new HubProperties.Reliability(MAX_DELIVERIES, Duration.ofMillis(500), 2.0, Duration.ofSeconds(60), 0.2,
                    2, 100, 1_000, MAX_FREE_VENDOR_ERRORS), null, null, null, null),
            Clock.systemUTC(), null, null, new ObjectMapper());

    @AfterEach
    void close() {
        databases.close();
    }

    @Test
    void fiveHundredsNoHealthCheckExplainsWaitForFreeTheConfiguredTimesThenSpendAttemptsUntilTheDeadLetter() {
        RetryLater unexplained = new RetryLater("doordash PATCH /orders/x answered 500 (the circuit for doordash is "
                + "now OPEN; doordash has no health check to tell whether it is down)", Duration.ofSeconds(30), false,
                true, null);
        int[] waits = parkUntilExhausted("order.status_changed:a:2", unexplained);
        // 3 free waits, then attempts 1 to 5 spent waiting; the 6th delivery is the dead letter
        assertThat(waits[0]).as("waits before the dead letter").isEqualTo(MAX_FREE_VENDOR_ERRORS + MAX_DELIVERIES - 1);
        assertThat(waits[1]).as("attempts spent before the last").isEqualTo(MAX_DELIVERIES - 1);
        Map<String, Object> failure = jdbc.queryForMap("select attempts, last_reason from delivery_failure "
                + "where message_key = ?", "orderhub.stage.channel-status:order.status_changed:a:2");
        assertThat(((Number) failure.get("attempts")).intValue()).isEqualTo(MAX_DELIVERIES - 1);
        assertThat((String) failure.get("last_reason")).contains("answered 500").contains("no health check");
    }

    @Test
    void aVendorThatIsDownOrWasNotCalledNeverCostsAnAttempt() {
        RetryLater down = new RetryLater("doordash answered 503 (the circuit for doordash is now OPEN)",
                Duration.ofSeconds(30), false, null);
        Map<String, Object> headers = new HashMap<>();
        for (int wait = 0; wait < 50; wait++) {
            Exchange e = delivery(headers, "order.created:b", down);
            assertThat(deadLetters.exhausted(e)).as("exhausted at wait %d", wait).isFalse();
            deadLetters.park(e);
            headers = e.getMessage().getHeaders();
        }
        assertThat(headers.get(Headers.PRIOR_ATTEMPTS)).isEqualTo(0);
        assertThat(headers).doesNotContainKey(Headers.FREE_VENDOR_ERRORS);
        assertThat(jdbc.queryForObject("select count(*) from delivery_failure", Integer.class)).isZero();
    }

    @Test
    void aFiveHundredTheVendorsHealthCheckPutsOnTheMessageCountsFromTheFirst() {
        RetryLater poison = new RetryLater("square answered 500 (answers its health check, so this attempt counts)",
                Duration.ofSeconds(30), true, null);
        int[] waits = parkUntilExhausted("order.created:c", poison);
        assertThat(waits[0]).isEqualTo(MAX_DELIVERIES - 1);
        assertThat(waits[1]).isEqualTo(MAX_DELIVERIES - 1);
    }

    /** @return waits (parks) before the message was exhausted, and the attempts its last park had spent */
    private int[] parkUntilExhausted(String eventId, RetryLater failure) {
        Map<String, Object> headers = new HashMap<>();
        int waits = 0;
        while (true) {
            Exchange e = delivery(headers, eventId, failure);
            if (deadLetters.exhausted(e)) {
                return new int[] {waits, (Integer) headers.getOrDefault(Headers.PRIOR_ATTEMPTS, 0)};
            }
            deadLetters.park(e);
            headers = e.getMessage().getHeaders();
            waits++;
            assertThat(waits).as("parks of one message").isLessThan(100);
        }
    }

    private Exchange delivery(Map<String, Object> headers, String eventId, RetryLater failure) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeaders(new HashMap<>(headers));
        e.getMessage().setHeader("JMSXDeliveryCount", 1);
        e.getMessage().setHeader(Headers.EVENT_ID, eventId);
        e.setProperty(Headers.QUEUE, "orderhub.stage.channel-status");
        e.setProperty(Headers.STAGE, "channel-status");
        e.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return e;
    }
}
