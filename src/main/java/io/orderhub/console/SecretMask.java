package io.orderhub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.orderhub.security.CardNumberMasker;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an operator sees of a payload: card-number-like digits masked, and the values of fields that hold secrets
 * (token, secret, password, authorization, api key, signature) replaced by {@link #MASK}. An edited payload that
 * still carries {@link #MASK} at a path gets the stored value back there, so masking never breaks a replay.
 */
public final class SecretMask {

    public static final String MASK = "••••••";
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(token|secret|password|passwd|authori[sz]ation|api[_-]?key|signature|cvv|cvc).*");

    private SecretMask() {
    }

    public static String forDisplay(String payload, ObjectMapper json) {
        String masked = CardNumberMasker.mask(payload == null ? "" : payload);
        try {
            JsonNode tree = json.readTree(masked);
            if (tree == null || !tree.isContainerNode()) {
                return masked;
            }
            mask(tree);
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (java.io.IOException notJson) {
            return masked;
        }
    }

    public static boolean isSecretName(String name) {
        return SECRET.matcher(name).matches();
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode() && !e.getValue().isNull() && isSecretName(e.getKey())) {
                    e.setValue(TextNode.valueOf(MASK));
                } else {
                    mask(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(SecretMask::mask);
        }
    }

    /** The edited payload with every {@link #MASK} value put back from the stored one (same path). */
    public static String restore(String edited, String stored, ObjectMapper json) throws java.io.IOException {
        if (!edited.contains(MASK)) {
            return edited;
        }
        JsonNode e = json.readTree(edited);
        JsonNode s = json.readTree(stored);
        return json.writeValueAsString(restore(e, s));
    }

    private static JsonNode restore(JsonNode edited, JsonNode stored) {
        if (edited.isTextual() && MASK.equals(edited.asText()) && stored != null && !stored.isMissingNode()) {
            return stored;
        }
        if (edited instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                f.setValue(restore(f.getValue(), stored == null ? null : stored.get(f.getKey())));
            }
        } else if (edited instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, restore(a.get(i), stored == null ? null : stored.get(i)));
            }
        }
        return edited;
    }
}
