package io.orderhub.pipeline;

import io.orderhub.HubProperties;
import io.orderhub.order.OrderEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The consumer stages order events fan out to, each with its own persistent queue and dead-letter queue. An event
 * goes to the configured stages it concerns ({@link StageHandler#concerns}); a stage without a handler takes every
 * event.
 */
@Component("stages")
public class Stages {

    private final HubProperties hub;
    /** Looked up on first use: handlers reach the outbox, whose events are made here. */
    private final ObjectProvider<StageHandler> handlerBeans;
    private volatile Map<String, StageHandler> handlers;

    public Stages(HubProperties hub, ObjectProvider<StageHandler> handlerBeans) {
        this.hub = hub;
        this.handlerBeans = handlerBeans;
    }

    public String queueOf(String stage) {
        return hub.queues().stagePrefix() + stage;
    }

    /** The configured stages this event is for, in configured order. */
    public List<String> concerned(OrderEvent event) {
        Map<String, StageHandler> byStage = handlers();
        return hub.stages().stream().filter(s -> {
            StageHandler handler = byStage.get(s);
            return handler == null || handler.concerns(event);
        }).toList();
    }

    /**
     * Recipient list of the fan-out step: the stages named by the event's {@link Headers#STAGES} header, every
     * configured stage when the header is missing (an event published before the header existed).
     */
    public List<String> endpoints(Exchange exchange) {
        String named = exchange.getMessage().getHeader(Headers.STAGES, String.class);
        List<String> targets = hub.stages();
        if (named != null) {
            List<String> listed = Arrays.asList(named.split(","));
            targets = targets.stream().filter(listed::contains).toList();
        }
        return targets.stream().map(s -> "jms:queue:" + queueOf(s)).toList();
    }

    private Map<String, StageHandler> handlers() {
        Map<String, StageHandler> known = handlers;
        if (known == null) {
            known = handlerBeans.orderedStream().collect(Collectors.toMap(StageHandler::stage, h -> h));
            handlers = known;
        }
        return known;
    }
}
