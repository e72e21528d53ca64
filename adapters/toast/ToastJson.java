package toast;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.model.Money;
import io.orderhub.pipeline.PermanentFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * Reading Toast JSON: every number kept as the exact decimal it was written as (Toast sends money as JSON doubles
 * in dollars; the kit's mapper would read them as binary doubles), Toast's date-times ("2021-07-30T11:57:46.235+0000",
 * offset without a colon) and the small type checks a hostile payload needs.
 */
final class ToastJson {

    /** Toast's date-time format, as its API writes and expects it (ISO-8601, milliseconds, offset +HHMM). */
    static final DateTimeFormatter TOAST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private static final DateTimeFormatter READ_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private ToastJson() {
    }

    /** A payload or answer as a JSON tree whose floating-point numbers are BigDecimals (never doubles). */
    static JsonNode readExact(AdapterContext adapter, String text, String what) {
        JsonNode node;
        try {
            node = text == null || text.isBlank() ? null : adapter.json().reader()
                    .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .without(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                    .readTree(text);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            throw new PermanentFailure("toast: " + what + " is not JSON: " + why, e);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new PermanentFailure("toast: empty " + what);
        }
        return node;
    }

    /** A text field, or null when absent, null, or not text. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
    }

    static String requiredText(JsonNode node, String field, String what) {
        String v = text(node, field);
        if (v == null) {
            throw new PermanentFailure("toast: " + what + " has no " + field);
        }
        return v;
    }

    static boolean isTrue(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isBoolean() && v.booleanValue();
    }

    /** The field as an object, or null when absent or JSON null; anything else is a broken payload. */
    static JsonNode object(JsonNode node, String field, String what) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new PermanentFailure("toast: " + what + "." + field + " is not an object");
        }
        return v;
    }

    /** The field as an array (empty when absent or JSON null); anything else is a broken payload. */
    static Iterable<JsonNode> array(JsonNode node, String field, String what) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return java.util.List.of();
        }
        if (!v.isArray()) {
            throw new PermanentFailure("toast: " + what + "." + field + " is not a list");
        }
        for (JsonNode element : v) {
            if (!element.isObject()) {
                throw new PermanentFailure("toast: " + what + "." + field + " holds something that is not an object");
            }
        }
        return v;
    }

    /** The exact decimal of a number field; null when absent or JSON null. Never through a double. */
    static BigDecimal decimal(JsonNode node, String field, String what) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new PermanentFailure("toast: " + what + "." + field + " is not a number: " + v);
        }
        if (v.isDouble() || v.isFloat()) {
            // only when a caller parsed without readExact: the shortest text of the double, not its binary value
            return new BigDecimal(v.asText());
        }
        return v.decimalValue();
    }

    /** Dollars (a JSON number) to exact minor units of the location's currency, half-even (Money.ofMajor). */
    static Money money(JsonNode node, String field, String currency, String what) {
        BigDecimal major = decimal(node, field, what);
        if (major == null) {
            throw new PermanentFailure("toast: " + what + " has no " + field);
        }
        return Money.ofMajor(major, currency);
    }

    static Money moneyOrZero(JsonNode node, String field, String currency, String what) {
        BigDecimal major = decimal(node, field, what);
        return major == null ? Money.zero(currency) : Money.ofMajor(major, currency);
    }

    /** A Toast quantity (a double) that must be a whole number within [min, max]. */
    static int wholeQuantity(JsonNode node, String what, int min, int max) {
        BigDecimal q = decimal(node, "quantity", what);
        if (q == null) {
            return 1; // "Quantity defaults to 1" (Selection)
        }
        BigDecimal whole = q.stripTrailingZeros();
        if (whole.scale() > 0) {
            throw new PermanentFailure("toast: " + what + " has quantity " + q.toPlainString()
                    + ", not a whole number (items sold by weight cannot be a hub order line)");
        }
        if (whole.compareTo(BigDecimal.valueOf(min)) < 0 || whole.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new PermanentFailure("toast: " + what + " has quantity " + q.toPlainString() + ", outside "
                    + min + ".." + max);
        }
        return whole.intValueExact();
    }

    /** A Toast date-time field, or null when absent; unreadable text is a broken payload. */
    static OffsetDateTime time(JsonNode node, String field, String what) {
        String v = text(node, field);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.from(READ_TIME.parse(v));
        } catch (DateTimeException e) {
            throw new PermanentFailure("toast: " + what + "." + field + " is not a date-time: '" + v + "'", e);
        }
    }

    /** The same instant whatever way the text writes its offset; null when unreadable. */
    static Instant instantOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.from(READ_TIME.parse(text)).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    static String format(Instant instant) {
        return TOAST_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    static String format(OffsetDateTime time) {
        return TOAST_TIME.format(time);
    }
}
