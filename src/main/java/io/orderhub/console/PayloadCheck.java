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
 * or a vendor's) must translate with its source's translator, the vendor's adapter for a vendor's payload (its
 * shape), and a new order it makes must validate against the canonical schema. A vendor that must be asked for the
 * full order (thin webhooks) is asked; if it cannot be reached the shape is not held against the payload.
 */
@Component
public class PayloadCheck {

    private final ObjectMapper json;
    private final HubProperties hub;
    private final JsonSchema canonical;
    private final io.orderhub.pipeline.Translators translators;

    public PayloadCheck(ObjectMapper json, HubProperties hub, io.orderhub.pipeline.Translators translators)
            throws IOException {
        this.json = json;
        this.hub = hub;
        this.translators = translators;
        try (InputStream in = getClass().getResourceAsStream("/schemas/canonical-order-v1.json")) {
            this.canonical = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    /** Problems of an edited payload for this dead letter's queue and source (none: it may be replayed). */
    public List<String> problems(DeadLetterStore.Detail letter, String payload) {
        java.util.Map<String, String> headers;
        try {
            headers = json.readValue(letter.headers() == null ? "{}" : letter.headers(),
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() { });
        } catch (IOException e) {
            headers = java.util.Map.of();
        }
        String source = headers.getOrDefault(io.orderhub.pipeline.Headers.SOURCE, letter.entry().source());
        List<String> problems = problems(letter.entry().queue(), payload);
        if (problems.isEmpty() && hub.queues().intake().equals(letter.entry().queue()) && source != null) {
            var check = translators.check(source, headers.get(io.orderhub.pipeline.Headers.CLIENT_ID), payload);
            problems.addAll(check.problems());
            if (check.order() != null) {
                for (ValidationMessage m : canonical.validate(json.valueToTree(check.order()))) {
                    problems.add("translated order " + m.getInstanceLocation().toString().substring(1) + ": "
                            + m.getMessage());
                }
            }
        }
        return problems;
    }

    List<String> problems(String queue, String payload) {
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
