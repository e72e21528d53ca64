package io.orderhub.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.pipeline.OrderRejected;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.TransientFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Vendor payloads are untrusted. Every adapter's input samples are bent in hostile ways (fields dropped one by one,
 * strings turned into numbers and numbers into strings, arrays emptied or each blown up to 2,000 entries, objects replaced by nulls) and
 * each result must be an {@link Inbound}, or one of the failures the pipeline turns into a stored reason
 * ({@link PermanentFailure}, {@link OrderRejected}, {@link TransientFailure}) with a message, never another
 * exception escaping the adapter (a NullPointerException, a ClassCastException...).
 */
class AdapterHostileInputTest {

    @BeforeAll
    static void load() throws Exception {
        AdapterSamplesTest.load();
    }

    @AfterAll
    static void stop() {
        AdapterSamplesTest.stop();
    }

    private static final Map<String, UnaryOperator<JsonNode>> BENDS = Map.of(
            "strings as numbers", n -> n.isTextual() ? JsonNodeFactory.instance.numberNode(42) : n,
            "numbers as strings", n -> n.isNumber() ? JsonNodeFactory.instance.textNode("12.5x") : n,
            "numbers negative", n -> n.isIntegralNumber() ? JsonNodeFactory.instance.numberNode(-n.asLong() - 1) : n,
            "arrays empty", n -> n.isArray() ? JsonNodeFactory.instance.arrayNode() : n,
            "arrays as objects", n -> n.isArray() ? JsonNodeFactory.instance.objectNode() : n,
            "objects as null", n -> n.isObject() ? JsonNodeFactory.instance.nullNode() : n);

    @TestFactory
    List<DynamicNode> hostileVariantsFailCleanly() throws Exception {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Adapter adapter : AdapterSamplesTest.registry.all()) {
            List<DynamicNode> cases = new ArrayList<>();
            for (Path input : inputs(adapter.id())) {
                JsonNode original = AdapterSamplesTest.json.readTree(input.toFile());
                String name = input.getFileName().toString().replace(".input.json", "");
                cases.add(DynamicTest.dynamicTest(name + ": each field dropped in turn", () -> {
                    for (String path : paths(original, "")) {
                        JsonNode copy = original.deepCopy();
                        drop(copy, path);
                        assertCleanOutcome(adapter, copy.toString(), name + " without " + path);
                    }
                }));
                BENDS.forEach((bend, f) -> cases.add(DynamicTest.dynamicTest(name + ": " + bend, () ->
                        assertCleanOutcome(adapter, transform(original.deepCopy(), f).toString(), name + ", " + bend))));
            }
            cases.add(DynamicTest.dynamicTest("each array blown up to 2,000 entries in turn", () -> {
                for (Path input : inputs(adapter.id())) {
                    JsonNode original = AdapterSamplesTest.json.readTree(input.toFile());
                    for (String path : paths(original, "")) {
                        JsonNode copy = original.deepCopy();
                        if (copy.at(path) instanceof ArrayNode array && array.size() > 0) {
                            int cut = path.lastIndexOf('/');
                            JsonNode parent = cut == 0 ? copy : copy.at(path.substring(0, cut));
                            if (parent instanceof ObjectNode object) {
                                object.set(path.substring(cut + 1), repeat(array, 2_000));
                                assertCleanOutcome(adapter, copy.toString(), input.getFileName() + ", " + path
                                        + " x 2000");
                            }
                        }
                    }
                }
            }));
            cases.add(DynamicTest.dynamicTest("not an object", () -> {
                for (String body : List.of("[]", "null", "42", "\"text\"", "{", "")) {
                    assertCleanOutcome(adapter, body, "body " + body);
                }
            }));
            nodes.add(DynamicContainer.dynamicContainer(adapter.id(), cases));
        }
        return nodes;
    }

    private static void assertCleanOutcome(Adapter adapter, String payload, String what) {
        var context = new VendorAdapter.TranslationContext(UUID.randomUUID(), "hostile", AdapterSamplesTest.AT);
        try {
            Inbound result = adapter.vendor().translate(payload, context, adapter.context());
            assertThat(result).as(what).isNotNull();
        } catch (PermanentFailure | OrderRejected | TransientFailure expected) {
            assertThat(expected.getMessage()).as(what + ": the reason").isNotBlank();
        } catch (RuntimeException escaped) {
            throw new AssertionError(adapter.id() + ", " + what + ": " + escaped + " escaped the adapter", escaped);
        }
    }

    private static List<String> paths(JsonNode node, String prefix) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                String path = prefix + "/" + field;
                out.add(path);
                out.addAll(paths(node.get(field), path));
            }
        } else if (node.isArray() && node.size() > 0) {
            out.addAll(paths(node.get(0), prefix + "/0"));
        }
        return out;
    }

    private static void drop(JsonNode root, String path) {
        int cut = path.lastIndexOf('/');
        JsonNode parent = cut == 0 ? root : root.at(path.substring(0, cut));
        if (parent instanceof ObjectNode object) {
            object.remove(path.substring(cut + 1));
        }
    }

    private static JsonNode transform(JsonNode node, UnaryOperator<JsonNode> f) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                object.set(field, f.apply(transform(object.get(field), f)));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, f.apply(transform(array.get(i), f)));
            }
        }
        return node;
    }

    private static JsonNode repeat(ArrayNode array, int times) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < times; i++) {
            out.add(array.get(0).deepCopy());
        }
        return out;
    }

    private static List<Path> inputs(String id) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("adapters", id, "samples"))) {
            return s.filter(p -> p.toString().endsWith(".input.json")).sorted().toList();
        }
    }
}
