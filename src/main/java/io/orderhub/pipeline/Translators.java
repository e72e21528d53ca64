package io.orderhub.pipeline;

import io.orderhub.adapter.Adapter;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.model.CanonicalOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The translate step: finds the translator for the message's source (the own-channel API, or a vendor adapter) and
 * runs it. The body becomes a canonical order to validate and store, or, from a vendor, an {@link Inbound} update
 * or ignorable event. A vendor's new order takes the business key {@code <adapter>:order:<vendor order id>}.
 */
@Component("translators")
public class Translators {

    private final Map<String, OrderTranslator> bySource;

    private final AdapterRegistry adapters;

    public Translators(List<OrderTranslator> translators, AdapterRegistry adapters) {
        this.bySource = translators.stream().collect(Collectors.toMap(OrderTranslator::source, Function.identity()));
        this.adapters = adapters;
    }

    public Object translate(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = in.getHeader(Headers.SOURCE, String.class);
        var adapter = adapters.find(source);
        if (adapter.isPresent()) {
            return fromVendor(adapter.get(), in);
        }
        OrderTranslator translator = bySource.get(source);
        if (translator == null) {
            throw new PermanentFailure("no translator for source '" + source + "'; known: " + bySource.keySet());
        }
        var context = new OrderTranslator.IntakeContext(
                UUID.fromString(in.getHeader(Headers.INTAKE_ID, String.class)), source,
                in.getHeader(Headers.CLIENT_ID, String.class), in.getHeader(Headers.CORRELATION_ID, String.class),
                Instant.parse(in.getHeader(Headers.RECEIVED_AT, String.class)));
        return guarded(source, () -> translator.translate(in.getBody(String.class), context));
    }

    /**
     * Whether a payload translates for its source, without storing anything (the console's check of an operator's
     * edited intake payload). A new order it makes is checked against the canonical schema by the caller's rules
     * ({@link io.orderhub.menu.OrderValidator} runs on replay as always).
     *
     * @return problems (none when it translates, or when the vendor could not be asked) and the new order it made
     */
    public Check check(String source, String clientId, String payload) {
        // the order made here is thrown away; the replay gets the dead letter's own correlation id
        java.util.List<String> problems = new java.util.ArrayList<>();
        Object result = null;
        try {
            var adapter = adapters.find(source);
            if (adapter.isPresent()) {
                var context = new VendorAdapter.TranslationContext(UUID.randomUUID(), CHECK, Instant.now());
                result = guarded(source, () -> adapter.get().vendor().translate(payload, context,
                        adapter.get().context()));
                if (result == null) {
                    problems.add(source + " adapter translated the payload to nothing");
                }
            } else {
                OrderTranslator translator = bySource.get(source);
                if (translator == null) {
                    problems.add("no translator for source '" + source + "'");
                    return new Check(problems, null);
                }
                var context = new OrderTranslator.IntakeContext(UUID.randomUUID(), source, clientId, CHECK,
                        Instant.now());
                result = guarded(source, () -> translator.translate(payload, context));
            }
        } catch (OrderRejected rejected) {
            problems.add("the order would be rejected: " + rejected.getMessage());
        } catch (TransientFailure unreachable) {
            return new Check(problems, null);
        } catch (PermanentFailure unmappable) {
            problems.add("the " + source + " translator cannot read it: " + unmappable.getMessage());
        }
        CanonicalOrder order = result instanceof CanonicalOrder c ? c
                : result instanceof Inbound.NewOrder n ? n.order() : null;
        return new Check(problems, order);
    }

    private static final String CHECK = "console-payload-check";

    /** What {@link #check} found. */
    public record Check(java.util.List<String> problems, CanonicalOrder order) {
    }

    /**
     * Runs a translator: the hub's own failure classes pass as they are; any other exception means the payload
     * cannot be mapped (a permanent failure with the translator's message), never a crash of the pipeline.
     */
    private static <T> T guarded(String source, java.util.function.Supplier<T> translation) {
        try {
            return translation.get();
        } catch (PermanentFailure | OrderRejected | TransientFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PermanentFailure("cannot translate " + source + " payload: " + e, e);
        }
    }

    private Object fromVendor(Adapter adapter, Message in) {
        var context = new VendorAdapter.TranslationContext(UUID.fromString(in.getHeader(Headers.INTAKE_ID,
                String.class)), in.getHeader(Headers.CORRELATION_ID, String.class),
                Instant.parse(in.getHeader(Headers.RECEIVED_AT, String.class)));
        Inbound inbound = guarded(adapter.id(),
                () -> adapter.vendor().translate(in.getBody(String.class), context, adapter.context()));
        if (inbound == null) {
            throw new PermanentFailure(adapter.id() + " adapter translated the payload to nothing");
        }
        if (inbound instanceof Inbound.NewOrder n) {
            CanonicalOrder order = n.order();
            String vendorId = adapter.context().vendorOrderId(order).orElseThrow(() -> new PermanentFailure(
                    adapter.id() + " order has no external id of system '" + adapter.id() + "'"));
            in.setHeader(Headers.BUSINESS_KEY, adapter.id() + ":order:" + vendorId);
            return order;
        }
        return inbound;
    }
}
