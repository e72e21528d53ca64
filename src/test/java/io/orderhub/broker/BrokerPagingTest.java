package io.orderhub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.HubProperties;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.util.unit.DataSize;

/**
 * A backlog larger than the broker's memory bound ({@code orderhub.broker.max-memory}): the broker, as the hub
 * configures it, keeps that much in the heap and pages the rest to disk; every message comes back, also after a
 * restart.
 */
class BrokerPagingTest {

    private static final String QUEUE = "orderhub.intake";
    private static final int MESSAGES = 1_500;
    private static final DataSize BOUND = DataSize.ofKilobytes(512);

    @TempDir
    Path data;

    @Test
    void aBacklogBeyondTheMemoryBoundIsPagedToDiskAndEveryMessageComesBackAfterARestart() throws Exception {
        String body = "x".repeat(3_000);
        EmbeddedActiveMQ broker = broker();
        try {
            send(body);
            Queue queue = broker.getActiveMQServer().locateQueue(SimpleString.of(QUEUE));
            assertThat(queue.getMessageCount()).isEqualTo(MESSAGES);
            assertThat(queue.getPagingStore().isPaging()).as("paging once %s messages of 3 KB wait", MESSAGES).isTrue();
            // what the broker holds in memory stays near the bound (one message over it may be admitted), not the
            // 4.5 MB of the backlog
            assertThat(queue.getPagingStore().getAddressSize()).isLessThan(BOUND.toBytes() * 2);
            assertThat(broker.getActiveMQServer().getConfiguration().getJournalCompactMinFiles())
                    .as("journal compacted only beyond the configured number of files").isEqualTo(100);
        } finally {
            broker.stop();
        }

        broker = broker();
        try {
            Set<Integer> received = receiveAll();
            assertThat(received).hasSize(MESSAGES);
            assertThat(received).allMatch(n -> n >= 0 && n < MESSAGES);
            assertThat(broker.getActiveMQServer().locateQueue(SimpleString.of(QUEUE)).getMessageCount()).isZero();
        } finally {
            broker.stop();
        }
    }

    private EmbeddedActiveMQ broker() throws Exception {
        HubProperties hub = new HubProperties(data, data, new HubProperties.Queues(QUEUE, "orderhub.stage.", "DLQ.",
                null), List.of("pos"), new HubProperties.Reliability(4, Duration.ofMillis(100), 2.0,
                Duration.ofSeconds(1), 0.1, 0, 0, 1_000, 10), null, null, null, null);
        ArtemisProperties artemis = new ArtemisProperties();
        artemis.setUser("hub");
        artemis.setPassword("paging-test-password");
        artemis.getEmbedded().setPersistent(true);
        artemis.getEmbedded().setDataDirectory(data.resolve("broker").toString());
        artemis.getEmbedded().setServerId(7);
        EmbeddedActiveMQ broker = new BrokerConfiguration().embeddedActiveMq(hub, artemis, 0, 0, BOUND,
                DataSize.ofKilobytes(256), 100);
        broker.start();
        return broker;
    }

    private Connection connect() throws Exception {
        return new ActiveMQConnectionFactory("vm://7").createConnection("hub", "paging-test-password");
    }

    private void send(String body) throws Exception {
        try (Connection c = connect(); Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < MESSAGES; i++) {
                TextMessage m = s.createTextMessage(body);
                m.setIntProperty("n", i);
                producer.send(m);
                if (i % 100 == 99) {
                    s.commit();
                }
            }
            s.commit();
        }
    }

    private Set<Integer> receiveAll() throws Exception {
        Set<Integer> received = new HashSet<>();
        try (Connection c = connect(); Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            c.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
            for (int i = 0; i < MESSAGES; i++) {
                TextMessage m = (TextMessage) consumer.receive(10_000);
                assertThat(m).as("message %s of %s", i + 1, MESSAGES).isNotNull();
                assertThat(m.getText()).hasSize(3_000);
                assertThat(received.add(m.getIntProperty("n"))).as("message %s received twice", m.getIntProperty("n"))
                        .isTrue();
                // small transactions, as the hub's consumers make (one message each): the broker reads no further
                // from its paging files while more than max-read-page-bytes of read messages wait for their ack
                if (i % 10 == 9) {
                    s.commit();
                }
            }
            s.commit();
        }
        return received;
    }
}
