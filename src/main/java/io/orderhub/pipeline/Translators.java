package io.orderhub.pipeline;

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

/** The translate step: finds the translator for the message's source and runs it. */
@Component("translators")
public class Translators {

    private final Map<String, OrderTranslator> bySource;

    public Translators(List<OrderTranslator> translators) {
        this.bySource = translators.stream().collect(Collectors.toMap(OrderTranslator::source, Function.identity()));
    }

    public CanonicalOrder translate(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = in.getHeader(Headers.SOURCE, String.class);
        OrderTranslator translator = bySource.get(source);
        if (translator == null) {
            throw new PermanentFailure("no translator for source '" + source + "'; known: " + bySource.keySet());
        }
        var context = new OrderTranslator.IntakeContext(
                UUID.fromString(in.getHeader(Headers.INTAKE_ID, String.class)), source,
                in.getHeader(Headers.CLIENT_ID, String.class), in.getHeader(Headers.CORRELATION_ID, String.class),
                Instant.parse(in.getHeader(Headers.RECEIVED_AT, String.class)));
        try {
            return translator.translate(in.getBody(String.class), context);
        } catch (PermanentFailure | OrderRejected e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PermanentFailure("cannot translate " + source + " payload: " + e.getMessage(), e);
        }
    }
}
