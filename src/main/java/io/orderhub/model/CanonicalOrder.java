package io.orderhub.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Canonical order, version 1: the one shape every adapter translates into and every stage reads.
 * Published as JSON Schema at {@code /schemas/canonical-order-v1.json}; {@code CanonicalSchemaTest} keeps the two in step.
 * Field names follow the Open Delivery protocol where they fit (displayId, specialInstructions-like notes, unitPrice).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanonicalOrder(
        String schemaVersion,
        UUID id,
        List<ExternalId> externalIds,
        String source,
        String channel,
        String brandId,
        String locationId,
        String displayId,
        OrderType type,
        OrderStatus status,
        long version,
        String correlationId,
        Instant createdAt,
        Instant updatedAt,
        String currency,
        List<OrderLine> lines,
        Charges charges,
        Customer customer,
        List<PaymentRef> payments,
        Fulfilment fulfilment,
        String notes,
        List<String> allergies) {

    public static final String SCHEMA_VERSION = "1";

    public CanonicalOrder withStatus(OrderStatus next, long nextVersion, Instant at) {
        return new CanonicalOrder(schemaVersion, id, externalIds, source, channel, brandId, locationId, displayId,
                type, next, nextVersion, correlationId, createdAt, at, currency, lines, charges, customer, payments,
                fulfilment, notes, allergies);
    }

    /** An identifier this order has in another system ("uber-eats", "square", "own-channel"...). */
    public record ExternalId(String system, String id) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderLine(
            String lineId,
            String itemId,
            String name,
            int quantity,
            Money unitPrice,
            List<Modifier> modifiers,
            Money lineTotal,
            String notes,
            List<String> allergies,
            String station) {
    }

    /** A chosen option; options can carry options of their own (a tree). Quantity 0 means "without". */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Modifier(
            String modifierId,
            String groupId,
            String name,
            int quantity,
            Money unitPrice,
            List<Modifier> modifiers) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Charges(
            Money subtotal,
            List<Adjustment> discounts,
            Money tax,
            List<Adjustment> fees,
            Money tip,
            Money total) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Adjustment(String code, String description, Money amount) {
    }

    /** Only the fields the guest consented to share with the restaurant. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Customer(String name, String phone, String email, Boolean marketingConsent) {
    }

    /** A reference to a payment held elsewhere: token, last four digits, auth code. Never a card number. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PaymentRef(String method, String provider, String token, String last4, String authCode,
                             Money amount, String status) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    /**
     * When and where the order is handed over. {@code priority}: what the channel asked of the kitchen beyond the
     * times ({@code vip}: a guest the house looks after first; {@code rush}: as fast as possible), or null.
     */
    public record Fulfilment(String timeZone, java.time.OffsetDateTime scheduledFor,
                             java.time.OffsetDateTime promisedAt, String table, DeliveryAddress address,
                             String priority) {

        /** Without a requested priority (what delivery platforms send). */
        public Fulfilment(String timeZone, java.time.OffsetDateTime scheduledFor, java.time.OffsetDateTime promisedAt,
                          String table, DeliveryAddress address) {
            this(timeZone, scheduledFor, promisedAt, table, address, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryAddress(String line1, String line2, String city, String postalCode, String country,
                                  String instructions) {
    }
}
