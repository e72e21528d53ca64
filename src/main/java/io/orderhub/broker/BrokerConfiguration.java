package io.orderhub.broker;

import io.orderhub.HubProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import java.util.Map;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The embedded Artemis broker, made safe for orders: persistence on (explicit data directory from
 * {@code spring.artemis.embedded.data-directory}), security on, no auto-created addresses, duplicate detection,
 * and for every stage queue its own redelivery policy and dead-letter queue.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded")
@EnableConfigurationProperties(ArtemisProperties.class)
public class BrokerConfiguration {

    static final String HUB_ROLE = "hub";

    @Bean(initMethod = "start", destroyMethod = "stop")
    EmbeddedActiveMQ embeddedActiveMq(HubProperties hub, ArtemisProperties artemis,
                                      @Value("${orderhub.broker.netty-port:0}") int nettyPort,
                                      @Value("${orderhub.broker.journal-buffer-timeout:0}") long bufferTimeoutNanos,
                                      @Value("${orderhub.broker.max-memory:64MB}") DataSize maxMemory,
                                      @Value("${orderhub.broker.page-size:1MB}") DataSize pageSize,
                                      @Value("${orderhub.broker.journal-compact-min-files:100}") int compactMinFiles)
            throws Exception {
        ArtemisProperties.Embedded embedded = artemis.getEmbedded();
        if (!embedded.isPersistent() || embedded.getDataDirectory() == null) {
            throw new IllegalStateException("spring.artemis.embedded.persistent must be true with an explicit "
                    + "data-directory: orders must survive a restart");
        }
        Configuration configuration = new ConfigurationImpl();
        configuration.setName("orderhub");
        configuration.setPersistenceEnabled(true);
        String dir = embedded.getDataDirectory();
        configuration.setJournalDirectory(dir + "/journal");
        configuration.setBindingsDirectory(dir + "/bindings");
        configuration.setLargeMessagesDirectory(dir + "/largemessages");
        configuration.setPagingDirectory(dir + "/paging");
        configuration.setClusterPassword(artemis.getPassword());
        configuration.addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName(),
                Map.of(TransportConstants.SERVER_ID_PROP_NAME, embedded.getServerId())));
        configuration.setSecurityEnabled(true);
        if (bufferTimeoutNanos > 0) {
            // how long the journal gathers writes before one sync; every transactional commit waits for it
            configuration.setJournalBufferTimeout_NIO((int) bufferTimeoutNanos);
            configuration.setJournalBufferTimeout_AIO((int) bufferTimeoutNanos);
        }
        // the messages the broker keeps in the heap, all queues together; beyond that a queue's further messages go
        // to its paging files until consumers catch up. Artemis' own default is half the heap: a backlog (a slow
        // POS, a burst) could then leave the hub too little heap to work it off (docs/benchmarks.md, "Soak")
        configuration.setGlobalMaxSize(maxMemory.toBytes());
        configuration.setPersistIDCache(true);
        configuration.setIDCacheSize(hub.reliability().duplicateIdCacheSize());
        // the duplicate-id records live long and keep old journal files from being reclaimed, so at Artemis' default
        // of 10 files the broker compacted again and again under load (a profile: 290 MB read by compactions in 45 s at
        // 100 orders/s), and the p99 of every leg showed it (docs/benchmarks.md "Journal compaction")
        configuration.setJournalCompactMinFiles(compactMinFiles);
        configuration.setJMXManagementEnabled(true);
        configuration.putSecurityRoles("#", Set.of(
                new Role(HUB_ROLE, true, true, true, true, true, true, true, true, true, true, true, true)));
        if (nettyPort > 0) {
            if (BrokerCredentialsDefaults.isGenerated(artemis.getPassword())) {
                throw new IllegalStateException("orderhub.broker.netty-port is set: give the broker a password "
                        + "(ORDERHUB_BROKER_PASSWORD) before other processes may connect");
            }
            configuration.addAcceptorConfiguration("netty", "tcp://127.0.0.1:" + nettyPort);
        }

        AddressSettings closed = new AddressSettings()
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                // a paging queue keeps the page file it reads and the one it writes in the heap, and reads ahead up
                // to max-read-page-bytes: with Artemis' 10 MB files and seven queues paging at once, well over
                // 100 MB of a 512-MiB heap (docs/benchmarks.md "Paging files of 1 MB")
                .setPageSizeBytes((int) pageSize.toBytes())
                .setMaxReadPageBytes((int) (2 * pageSize.toBytes()))
                .setAutoCreateAddresses(false).setAutoCreateQueues(false)
                .setAutoCreateDeadLetterResources(false).setAutoCreateExpiryResources(false);
        configuration.addAddressSetting("#", closed);

        for (String queue : stageQueues(hub)) {
            String deadLetters = hub.queues().deadLetterPrefix() + queue;
            addQueue(configuration, queue);
            addQueue(configuration, deadLetters);
            HubProperties.Reliability r = hub.reliability();
            configuration.addAddressSetting(queue, new AddressSettings()
                    .setAutoCreateAddresses(false).setAutoCreateQueues(false)
                    .setRedeliveryDelay(r.redeliveryDelay().toMillis())
                    .setRedeliveryMultiplier(r.redeliveryMultiplier())
                    .setMaxRedeliveryDelay(r.maxRedeliveryDelay().toMillis())
                    .setRedeliveryCollisionAvoidanceFactor(r.redeliveryJitter())
                    // the hub dead-letters with a reason at maxDeliveryAttempts; the broker's own limit is a net
                    // for a message whose failure the hub cannot handle (its dead-letter send failing, say). It
                    // does not catch a message that kills the JVM: Artemis counts deliveries on rollback, and the
                    // count is not persisted before delivery (persist-delivery-count-before-delivery is off).
                    .setMaxDeliveryAttempts(r.maxDeliveryAttempts() + 2)
                    .setDeadLetterAddress(SimpleString.of(deadLetters)));
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration);
        broker.setSecurityManager(new HubBrokerSecurityManager(artemis.getUser(), artemis.getPassword(), HUB_ROLE));
        return broker;
    }

    /**
     * Spring Boot's embedded connection factory carries no credentials, and this broker has security on: the hub
     * connects in-VM as its service user. Sessions are cached for producers; consumers keep their own.
     */
    @Bean
    CachingConnectionFactory jmsConnectionFactory(EmbeddedActiveMQ broker, ArtemisProperties artemis,
                                                  @Value("${spring.jms.cache.session-cache-size:50}") int sessions) {
        ActiveMQConnectionFactory target = new ActiveMQConnectionFactory(
                "vm://" + artemis.getEmbedded().getServerId());
        target.setUser(artemis.getUser());
        target.setPassword(artemis.getPassword());
        // a session remembers the queues it has looked up: without this every send asked the broker whether its
        // queue exists, a blocking round trip (the hub's queues are made at start and never removed)
        target.setCacheDestinations(true);
        CachingConnectionFactory caching = new CachingConnectionFactory(target);
        caching.setSessionCacheSize(sessions);
        caching.setCacheConsumers(false);
        return caching;
    }

    /** The intake queue, one queue per consumer stage, and the KDS webhook queue. */
    public static List<String> stageQueues(HubProperties hub) {
        List<String> queues = new ArrayList<>();
        queues.add(hub.queues().intake());
        for (String stage : hub.stages()) {
            queues.add(hub.queues().stagePrefix() + stage);
        }
        if (hub.queues().kdsWebhooks() != null && !hub.queues().kdsWebhooks().isBlank()) {
            queues.add(hub.queues().kdsWebhooks());
        }
        return queues;
    }

    private static void addQueue(Configuration configuration, String name) {
        configuration.addAddressConfiguration(new CoreAddressConfiguration().setName(name)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(QueueConfiguration.of(name).setAddress(name)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(true)));
    }
}
