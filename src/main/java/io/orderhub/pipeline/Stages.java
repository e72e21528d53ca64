package io.orderhub.pipeline;

import io.orderhub.HubProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/** The consumer stages every order event fans out to, each with its own persistent queue and dead-letter queue. */
@Component("stages")
public class Stages {

    private final HubProperties hub;

    public Stages(HubProperties hub) {
        this.hub = hub;
    }

    public String queueOf(String stage) {
        return hub.queues().stagePrefix() + stage;
    }

    /** Recipient list of the fan-out step. */
    public List<String> endpoints() {
        return hub.stages().stream().map(s -> "jms:queue:" + queueOf(s)).toList();
    }
}
