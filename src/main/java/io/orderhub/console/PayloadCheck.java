package io.orderhub.console;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.orderhub.HubProperties;
import io.orderhub.order.OrderEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Checks an operator's edited payload before it is replayed: it must be JSON; an order event (any stage queue) must
 * read as an event whose order validates against the published canonical schema; an intake payload (own channel
 * or a vendor's) must be a JSON object, its vendor shape being checked again by the adapter on replay.
 */
@Component
public class PayloadCheck {

    private final ObjectMapper json;
    private final HubProperties hub;
    private final JsonSchema canonical;

    public PayloadCheck(ObjectMapper json, HubProperties hub) throws IOException {
        this.json = json;
        this.hub = hub;
        try (InputStream in = getClass().getResourceAsStream("/schemas/canonical-order-v1.json")) {
            this.canonical = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    public List<String> problems(String queue, String payload) {
        List<String> problems = new ArrayList<>();
        JsonNode tree;
        try {
            tree = json.readTree(payload);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add("not JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": " + e.getOriginalMessage());
            return problems;
        }
        if (tree == null || !tree.isObject()) {
            problems.add("the payload must be a JSON object");
            return problems;
        }
        if (queue != null && queue.startsWith(hub.queues().stagePrefix())) {
            try {
                OrderEvent event = json.treeToValue(tree, OrderEvent.class);
                if (event.eventId() == null || event.type() == null || event.orderId() == null) {
                    problems.add("an order event needs eventId, type and orderId");
                }
                if (event.order() != null && event.orderId() != null && !event.orderId().equals(event.order().id())) {
                    problems.add("$.order.id must stay " + event.orderId());
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                problems.add("not an order event: " + e.getMessage());
                return problems;
            }
            JsonNode order = tree.path("order");
            if (order.isObject()) {
                for (ValidationMessage m : canonical.validate(order)) {
                    problems.add("$.order" + m.getInstanceLocation().toString().substring(1) + ": " + m.getMessage());
                }
            }
        }
        return problems;
    }
}
