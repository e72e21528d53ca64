package io.orderhub.demo;

import io.orderhub.HubProperties;
import io.orderhub.security.ApiClientStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The newcomer's run (profile "demo"): registers the demo channel client whose key README shows, so the
 * README's curl works on a fresh machine, then posts a little demo traffic. Off unless orderhub.demo.enabled is true.
 */
@Component
public class DemoSetup {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

    private final HubProperties hub;
    private final ApiClientStore clients;
    private final Environment env;
    private final DemoTraffic traffic;

    public DemoSetup(HubProperties hub, ApiClientStore clients, Environment env, DemoTraffic traffic) {
        this.hub = hub;
        this.clients = clients;
        this.env = env;
        this.traffic = traffic;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void registerDemoClient() {
        HubProperties.Demo demo = hub.demo();
        if (demo == null || !demo.enabled()) {
            return;
        }
        clients.register(demo.clientId(), "Demo web shop", demo.apiKey(), demo.brandId(), demo.locations(),
                List.of("web", "app", "qr", "kiosk", "waiter", "call_centre"));
        log.info("Demo channel client '{}' registered for locations {} (key in README.md); API on port {}",
                demo.clientId(), demo.locations(), env.getProperty("local.server.port"));
        traffic.post();
    }
}
