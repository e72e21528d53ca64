package io.orderhub.observability;

import io.orderhub.pipeline.Headers;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The correlation id that follows an order through every message, stage and log line (MDC key
 * {@code correlationId}). Callers may pass {@code X-Correlation-Id}; anything that is not a plain token is replaced.
 */
@Component("correlation")
public class Correlation {

    public static final String HTTP_HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlationId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public static String acceptOrCreate(String offered) {
        return offered != null && SAFE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    /** Called first in every route (route configuration interceptFrom): puts the message's id into the MDC. */
    public void enter(Exchange exchange) {
        String id = exchange.getMessage().getHeader(Headers.CORRELATION_ID, String.class);
        if (id != null) {
            MDC.put(MDC_KEY, id);
        }
    }
}
