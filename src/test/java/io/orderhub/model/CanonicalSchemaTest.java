package io.orderhub.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.orderhub.HubProperties;
import io.orderhub.intake.OwnChannelTranslator;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.pipeline.OrderTranslator;
import io.orderhub.support.Orders;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Java records and the published JSON Schema describe the same thing, field for field. */
class CanonicalSchemaTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private JsonNode schema() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/schemas/canonical-order-v1.json")) {
            return json.readTree(in);
        }
    }

    @Test
    void everyRecordHasASchemaDefinitionWithExactlyItsFields() throws Exception {
        JsonNode schema = schema();
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        todo.add(CanonicalOrder.class);
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!seen.add(type)) {
                continue;
            }
            JsonNode definition = type == CanonicalOrder.class ? schema
                    : schema.get("$defs").get(type.getSimpleName());
            assertThat(definition).as("schema definition for " + type.getSimpleName()).isNotNull();
            assertThat(definition.get("additionalProperties").asBoolean(true))
                    .as(type.getSimpleName() + " refuses unknown fields").isFalse();
            Set<String> fields = new TreeSet<>();
            for (RecordComponent c : type.getRecordComponents()) {
                fields.add(c.getName());
                if (c.getType().isPrimitive()) {
                    assertThat(names(definition.get("required"))).as(type.getSimpleName() + "." + c.getName()
                            + " is a primitive, so always present").contains(c.getName());
                }
                nestedRecord(c.getGenericType(), todo);
            }
            assertThat(names(definition.get("properties").fieldNames())).as(type.getSimpleName()).isEqualTo(fields);
            if (definition.has("required")) {
                assertThat(fields).containsAll(names(definition.get("required")));
            }
        }
        assertThat(seen).contains(CanonicalOrder.Modifier.class, Money.class, CanonicalOrder.DeliveryAddress.class);
    }

    @Test
    void statusAndTypeEnumsMatchTheSchema() throws Exception {
        JsonNode schema = schema();
        assertThat(names(schema.get("$defs").get("Status").get("enum")))
                .isEqualTo(new TreeSet<>(Arrays.stream(OrderStatus.values()).map(OrderStatus::wire).toList()));
        assertThat(names(schema.get("properties").get("type").get("enum")))
                .isEqualTo(new TreeSet<>(Arrays.stream(OrderType.values()).map(OrderType::wire).toList()));
    }

    @Test
    void aTranslatedOrderValidatesAgainstTheSchema() throws Exception {
        MenuCatalog menus = new MenuCatalog(new HubProperties(null, Path.of("config/menus"), null, null, null, null,
                null, null, null));
        ObjectMapper mapper = json.copy().setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
        CanonicalOrder order = new OwnChannelTranslator(mapper, menus).translate(Orders.soho("web-1"),
                new OrderTranslator.IntakeContext(UUID.randomUUID(), "own-channel", "test-web", "corr-1",
                        Instant.parse("2026-11-23T12:00:00Z")));
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema());
        Set<ValidationMessage> errors = validator.validate(mapper.valueToTree(order));
        assertThat(errors).isEmpty();

        JsonNode broken = mapper.valueToTree(order);
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("charges").get("total")).put("amount", 30.5);
        assertThat(validator.validate(broken)).as("a fractional minor amount is refused").isNotEmpty();
    }

    private static void nestedRecord(Type type, Deque<Class<?>> todo) {
        if (type instanceof Class<?> c && c.isRecord()) {
            todo.add(c);
        } else if (type instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                nestedRecord(arg, todo);
            }
        }
    }

    private static Set<String> names(JsonNode array) {
        Set<String> out = new TreeSet<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static Set<String> names(Iterator<String> it) {
        Set<String> out = new TreeSet<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
