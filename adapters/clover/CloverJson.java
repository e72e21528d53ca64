package clover;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.pipeline.PermanentFailure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reading Clover's JSON strictly: integer cents only, ids safe for a URL path, lists as Clover wraps them. */
final class CloverJson {

    /** Clover ids are 13 upper-case letters and digits; anything else never goes into a request path. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    private CloverJson() {
    }

    static String safeId(String id, String what) {
        if (id == null || !SAFE_ID.matcher(id).matches()) {
            throw new PermanentFailure("clover: " + what + " '" + clip(String.valueOf(id), 40)
                    + "' is not a Clover id (letters and digits)");
        }
        return id;
    }

    static boolean isSafeId(String id) {
        return id != null && SAFE_ID.matcher(id).matches();
    }

    /** A text field, or null when it is absent, null or not text. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }

    static String nonBlank(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    /** A required amount in cents: a JSON integer (Clover never sends decimals or text for money). */
    static long cents(JsonNode node, String field, String what) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new PermanentFailure("clover: " + what + " has no " + field);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new PermanentFailure("clover: " + what + " " + field + " is not a whole number of cents: "
                    + clip(value.toString(), 40));
        }
        return value.longValue();
    }

    /** An optional amount in cents: null when absent or null, a failure when present but not an integer. */
    static Long optionalCents(JsonNode node, String field, String what) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : cents(node, field, what);
    }

    /** A percentage (0 to 100) as an exact decimal, or null when absent. */
    static BigDecimal percentage(JsonNode node, String field, String what) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new PermanentFailure("clover: " + what + " " + field + " is not a number: "
                    + clip(value.toString(), 40));
        }
        BigDecimal percent = value.decimalValue();
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new PermanentFailure("clover: " + what + " " + field + " " + percent.toPlainString()
                    + " is not between 0 and 100");
        }
        return percent;
    }

    /** Clover's expanded lists come as {@code {"elements": [...]}}; a bare array is taken too; else empty. */
    static List<JsonNode> elements(JsonNode list) {
        JsonNode array = list == null ? null : list.isArray() ? list : list.get("elements");
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode element : array) {
                if (element != null && element.isObject()) {
                    out.add(element);
                }
            }
        }
        return out;
    }

    /** For matching names: trimmed, inner white space collapsed, lower case. */
    static String norm(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** At most {@code max} characters, never splitting a surrogate pair (emoji in notes). */
    static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
