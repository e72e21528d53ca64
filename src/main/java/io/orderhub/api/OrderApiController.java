package io.orderhub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orderhub.HubProperties;
import io.orderhub.database.Ids;
import io.orderhub.intake.IntakeRecord;
import io.orderhub.intake.IntakeStore;
import io.orderhub.intake.OwnChannelOrderRequest;
import io.orderhub.intake.OwnChannelTranslator;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStatus;
import io.orderhub.observability.HubMetrics;
import io.orderhub.order.OrderLifecycle;
import io.orderhub.order.OrderStore;
import io.orderhub.order.Timeline;
import io.orderhub.security.ApiClient;
import io.orderhub.security.CardNumberMasker;
import io.orderhub.web.CorrelationFilter;
import io.orderhub.web.ProblemHandler;
import io.orderhub.web.ProblemHandler.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Validator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The own-channel API: the restaurant's web shop, app, QR menus, kiosks, waiter tablets and call centre post
 * orders here. An order is acknowledged (202) once its payload is durable; the pipeline does the rest.
 */
@RestController
@RequestMapping("/api/v1/orders")
@SecurityRequirement(name = "apiKey")
public class OrderApiController {

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final ObjectMapper canonicalJson;
    private final Validator validator;
    private final IntakeStore intake;
    private final OrderStore orders;
    private final OrderLifecycle lifecycle;
    private final Timeline timeline;
    private final HubMetrics metrics;
    private final HubProperties hub;

    public OrderApiController(ProducerTemplate producer, ObjectMapper json, Validator validator, IntakeStore intake,
                              OrderStore orders, OrderLifecycle lifecycle, Timeline timeline, HubMetrics metrics,
                              HubProperties hub) {
        this.producer = producer;
        this.json = json;
        this.canonicalJson = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.validator = validator;
        this.intake = intake;
        this.orders = orders;
        this.lifecycle = lifecycle;
        this.timeline = timeline;
        this.metrics = metrics;
        this.hub = hub;
    }

    /** The acknowledgement of an order: its hub id and where to follow it. */
    public record Receipt(UUID orderId, String state, Instant receivedAt, String correlationId) {
    }

    /** An order as the API shows it: the pipeline's verdict, and the canonical order once accepted. */
    public record OrderView(UUID id, String state, String reason, UUID duplicateOf, Instant receivedAt,
                            CanonicalOrder order) {
    }

    public record OrderPage(List<OrderView> items, int page, int size, long total) {
    }

    public record StatusChange(@Schema(example = "in_preparation") String status, String reason) {
    }

    @Operation(summary = "Submit an order from an own channel",
            description = "Needs an Idempotency-Key (IETF draft): the same key and body again returns the original "
                    + "answer; the same key with another body is refused with 422.",
            requestBody = @RequestBody(content = @Content(schema = @Schema(implementation = OwnChannelOrderRequest.class))))
    @ApiResponse(responseCode = "202", description = "Stored durably and queued; follow the Location")
    @ApiResponse(responseCode = "400", description = "Missing Idempotency-Key, malformed JSON or invalid fields",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "422", description = "Idempotency-Key reused with a different body",
            content = @Content(mediaType = "application/problem+json"))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Receipt> submit(
            @Parameter(description = "Unique per order attempt, e.g. a UUID", required = true)
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
            @org.springframework.web.bind.annotation.RequestBody String body,
            @AuthenticationPrincipal ApiClient client, HttpServletRequest http) throws Exception {
        long started = System.nanoTime();
        String key = idempotencyKey(idempotencyKey);
        JsonNode tree = json.readTree(body);
        if (tree == null || !tree.isObject()) {
            throw new ApiProblem(400, "malformed-json", "The body must be a JSON object");
        }
        OwnChannelOrderRequest request = json.treeToValue(tree, OwnChannelOrderRequest.class);
        var violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw ProblemHandler.invalid(List.copyOf(violations));
        }
        if (!client.mayUseLocation(request.locationId())) {
            throw new ApiProblem(403, "out-of-scope", "This client may not order for location '"
                    + request.locationId() + "'");
        }
        if (!client.mayUseChannel(request.channel())) {
            throw new ApiProblem(403, "out-of-scope", "This client may not send '" + request.channel()
                    + "' orders");
        }
        String correlationId = (String) http.getAttribute(CorrelationFilter.ATTRIBUTE);
        IntakeRecord candidate = new IntakeRecord(Ids.next(), OwnChannelTranslator.SOURCE, client.id(), key,
                fingerprint(tree), businessKey(client, request, key), request.locationId(),
                request.channel(), MediaType.APPLICATION_JSON_VALUE, body, IntakeRecord.IntakeState.RECEIVED, null,
                null, correlationId, null, null);
        IntakeStore.Outcome outcome = producer.requestBody("direct:intake-receive", candidate,
                IntakeStore.Outcome.class);
        if (outcome instanceof IntakeStore.KeyReused) {
            throw new ApiProblem(422, "idempotency-key-reused", "Idempotency-Key '" + key
                    + "' was already used with a different body");
        }
        IntakeRecord stored = outcome.record();
        Receipt receipt = new Receipt(stored.id(), "received", stored.receivedAt(), stored.correlationId());
        var response = ResponseEntity.accepted().location(URI.create("/api/v1/orders/" + stored.id()));
        if (outcome instanceof IntakeStore.Replay) {
            response.header("Idempotency-Replayed", "true");
        } else {
            metrics.ackLatency(Duration.ofNanos(System.nanoTime() - started));
        }
        return response.body(receipt);
    }

    @Operation(summary = "One order: its state in the pipeline and, once accepted, the canonical order")
    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderView get(@PathVariable UUID id, @AuthenticationPrincipal ApiClient client) {
        Optional<CanonicalOrder> order = orders.find(id);
        if (order.isPresent()) {
            requireScope(client, order.get().locationId());
            return new OrderView(id, "accepted", null, null, order.get().createdAt(), order.get());
        }
        IntakeRecord record = intake.find(id).orElseThrow(() -> new ApiProblem(404, "not-found", "No order " + id));
        requireScope(client, record.locationId());
        return view(record);
    }

    @Operation(summary = "The order's timeline: every step it went through, in order")
    @GetMapping(value = "/{id}/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Timeline.Entry> timeline(@PathVariable UUID id, @AuthenticationPrincipal ApiClient client) {
        get(id, client);
        return timeline.of(id);
    }

    @Operation(summary = "Orders of this client's locations, newest first",
            description = "status takes a canonical status, or 'rejected' for orders refused by validation")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderPage list(@RequestParam(required = false) String location,
                          @RequestParam(required = false) String channel,
                          @RequestParam(required = false) String status,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                          @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                          @RequestParam(defaultValue = "0") int page,
                          @RequestParam(defaultValue = "50") int size,
                          @AuthenticationPrincipal ApiClient client) {
        if (page < 0 || size < 1 || size > hub.api().maxPageSize()) {
            throw new ApiProblem(400, "invalid-paging", "page must be >= 0 and size between 1 and "
                    + hub.api().maxPageSize());
        }
        List<String> locations;
        if (location != null) {
            requireScope(client, location);
            locations = List.of(location);
        } else {
            locations = client.locations();
        }
        if (locations.isEmpty()) {
            return new OrderPage(List.of(), page, size, 0);
        }
        if ("rejected".equals(status)) {
            List<OrderView> rejected = intake.rejectedFor(locations, page, size).stream().map(this::view).toList();
            return new OrderPage(rejected, page, size, intake.countRejected(locations));
        }
        OrderStatus wanted;
        try {
            wanted = status == null ? null : OrderStatus.fromWire(status);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "invalid-status", e.getMessage());
        }
        OrderStore.Page result = orders.list(locations, channel, wanted, from, to, page, size);
        List<OrderView> items = new ArrayList<>();
        for (CanonicalOrder o : result.orders()) {
            items.add(new OrderView(o.id(), "accepted", null, null, o.createdAt(), o));
        }
        return new OrderPage(items, page, size, result.total());
    }

    @Operation(summary = "Move the order through the state machine",
            description = "accepted -> in_preparation -> ready -> dispatched -> completed, plus cancelled and "
                    + "refunded; an illegal move is refused with 409 and the reason")
    @ApiResponse(responseCode = "409", description = "Not allowed from the current status",
            content = @Content(mediaType = "application/problem+json"))
    @PostMapping(value = "/{id}/status", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderView changeStatus(@PathVariable UUID id,
                                  @org.springframework.web.bind.annotation.RequestBody StatusChange change,
                                  @AuthenticationPrincipal ApiClient client) {
        CanonicalOrder order = orders.find(id).orElseThrow(() -> new ApiProblem(404, "not-found",
                "No accepted order " + id));
        requireScope(client, order.locationId());
        if (change == null || change.status() == null) {
            throw new ApiProblem(400, "invalid-status", "status is required");
        }
        OrderStatus to;
        try {
            to = OrderStatus.fromWire(change.status());
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "invalid-status", e.getMessage());
        }
        String reason = change.reason() == null ? null : change.reason().substring(0,
                Math.min(change.reason().length(), 500));
        CanonicalOrder changed = lifecycle.change(id, to, "client:" + client.id(), reason);
        return new OrderView(id, "accepted", null, null, changed.createdAt(), changed);
    }

    private OrderView view(IntakeRecord r) {
        String state = r.state().name().toLowerCase(java.util.Locale.ROOT);
        UUID duplicateOf = r.state() == IntakeRecord.IntakeState.DUPLICATE ? r.orderId() : null;
        return new OrderView(r.id(), state, r.reason(), duplicateOf, r.receivedAt(), null);
    }

    private static void requireScope(ApiClient client, String locationId) {
        if (locationId == null || !client.mayUseLocation(locationId)) {
            throw new ApiProblem(403, "out-of-scope", "This client may not see orders of location '"
                    + locationId + "'");
        }
    }

    /**
     * The channel's own order number identifies an order when the channel sends one, so a retry under a new
     * Idempotency-Key is still one order; otherwise the key does.
     */
    static String businessKey(ApiClient client, OwnChannelOrderRequest request, String idempotencyKey) {
        String prefix = OwnChannelTranslator.SOURCE + ":" + client.id() + ":";
        String key = request.externalId() != null ? prefix + "ext:" + request.externalId()
                : prefix + "key:" + idempotencyKey;
        return CardNumberMasker.mask(key);
    }

    /** IETF draft: the key is an sf-string ("..."); a bare token is accepted too. */
    static String idempotencyKey(String header) {
        if (header == null || header.isBlank()) {
            throw new ApiProblem(400, "idempotency-key-missing",
                    "Send an Idempotency-Key header (a UUID per order attempt)");
        }
        String key = header.trim();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ApiProblem(400, "idempotency-key-invalid",
                    "Idempotency-Key must be 1-255 visible ASCII characters");
        }
        return key;
    }

    /** Fingerprint of the body's meaning, not its bytes: key order and whitespace do not matter. */
    private String fingerprint(JsonNode tree) throws Exception {
        Object normalised = canonicalJson.treeToValue(tree, Object.class);
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(canonicalJson.writeValueAsString(normalised).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

}
