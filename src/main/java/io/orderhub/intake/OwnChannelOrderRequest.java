package io.orderhub.intake;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the restaurant's own channels (web, app, QR, kiosk, waiter tablet, call centre) post to
 * {@code POST /api/v1/orders}. Prices are integer minor units of the location's currency; the hub checks them
 * against the location's menu and computes tax and totals itself.
 */
@Schema(description = "An order from one of the restaurant's own channels")
public record OwnChannelOrderRequest(
        @NotBlank @Pattern(regexp = "web|app|qr|kiosk|waiter|call_centre",
                message = "must be one of web, app, qr, kiosk, waiter, call_centre") String channel,
        @NotBlank @Size(max = 64) String locationId,
        @Size(max = 255) @Schema(description = "The channel's own order number, kept as an external id")
        String externalId,
        @NotBlank @Pattern(regexp = "dine_in|pickup|curbside|delivery",
                message = "must be one of dine_in, pickup, curbside, delivery") String type,
        @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO-4217 code such as GBP") String currency,
        @NotEmpty @Size(max = 100) List<@Valid @NotNull Line> lines,
        @PositiveOrZero Long tip,
        @Valid Customer customer,
        @Size(max = 10) List<@Valid @NotNull Payment> payments,
        @Valid Fulfilment fulfilment,
        @Size(max = 1000) String notes,
        @Size(max = 20) List<@NotBlank @Size(max = 100) String> allergies,
        @PositiveOrZero @Schema(description = "Total the guest was shown, in minor units; the order is rejected if the hub computes another")
        Long expectedTotal) {

    public record Line(
            @NotBlank @Size(max = 128) String itemId,
            @Min(1) @Max(99) int quantity,
            @NotNull @PositiveOrZero Long unitPrice,
            @Size(max = 30) List<@Valid @NotNull ModifierChoice> modifiers,
            @Size(max = 500) String notes,
            @Size(max = 20) List<@NotBlank @Size(max = 100) String> allergies) {
    }

    public record ModifierChoice(
            @NotBlank @Size(max = 128) String groupId,
            @NotBlank @Size(max = 128) String modifierId,
            @Min(0) @Max(20) int quantity,
            @NotNull @PositiveOrZero Long unitPrice,
            @Size(max = 10) List<@Valid @NotNull ModifierChoice> modifiers) {
    }

    public record Customer(@Size(max = 200) String name, @Size(max = 40) String phone,
                           @Email @Size(max = 254) String email, Boolean marketingConsent) {
    }

    public record Payment(
            @NotBlank @Pattern(regexp = "card|cash|wallet|gift_card|voucher|other") String method,
            @Size(max = 64) String provider,
            @Size(max = 255) String token,
            @Pattern(regexp = "[0-9]{4}", message = "must be the last four digits only") String last4,
            @Size(max = 32) String authCode,
            @PositiveOrZero Long amount,
            @Size(max = 32) String status) {
    }

    public record Fulfilment(OffsetDateTime scheduledFor, @Size(max = 32) String table, @Valid Address address,
                             @Pattern(regexp = "vip|rush", message = "must be vip or rush")
                             @Schema(description = "Asked of the kitchen: vip (a guest looked after first), rush (as "
                                     + "fast as possible); their tickets go first on the screens")
                             String priority) {
    }

    public record Address(@Size(max = 255) String line1, @Size(max = 255) String line2, @Size(max = 100) String city,
                          @Size(max = 20) String postalCode, @Pattern(regexp = "[A-Z]{2}") String country,
                          @Size(max = 500) String instructions) {
    }
}
