package io.orderhub.console;

import io.orderhub.order.Timeline;
import io.orderhub.security.CardNumberMasker;
import io.orderhub.web.ProblemHandler.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's REST API, also for scripts and on-call tools (HTTP Basic + X-OrderHub-TOTP). Reading needs the
 * viewer role, acting on dead letters the operator role; the security chain enforces it on every request.
 */
@RestController
@RequestMapping(value = "/api/v1/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Operator console", description = "Dead letters, replays, audit log, order timelines, vendor health")
public class ConsoleApiController {

    private static final int MAX_PAGE = 200;

    private final DeadLetterStore deadLetters;
    private final DeadLetterReplay replay;
    private final ReplayJobs jobs;
    private final AuditLog audit;
    private final VendorHealth health;
    private final Timeline timeline;
    private final PayloadCheck check;
    private final JdbcTemplate jdbc;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final io.orderhub.adapter.AdapterRegistry adapters;

    public ConsoleApiController(DeadLetterStore deadLetters, DeadLetterReplay replay, ReplayJobs jobs, AuditLog audit,
                                VendorHealth health, Timeline timeline, PayloadCheck check, JdbcTemplate jdbc,
                                com.fasterxml.jackson.databind.ObjectMapper json,
                                io.orderhub.adapter.AdapterRegistry adapters) {
        this.json = json;
        this.adapters = adapters;
        this.deadLetters = deadLetters;
        this.replay = replay;
        this.jobs = jobs;
        this.audit = audit;
        this.health = health;
        this.timeline = timeline;
        this.check = check;
        this.jdbc = jdbc;
    }

    public record Me(String username, List<String> roles) {
    }

    @Operation(summary = "Who is signed in, with which roles")
    @GetMapping("/me")
    public Me me(Authentication who) {
        return new Me(who.getName(), who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(a -> a.replaceFirst("^ROLE_", "")).toList());
    }

    @Operation(summary = "Sets the CSRF cookie (XSRF-TOKEN) for the sign-in page")
    @GetMapping("/csrf")
    public Map<String, String> csrf(CsrfToken token) {
        return Map.of("headerName", token.getHeaderName(), "parameterName", token.getParameterName());
    }

    public record DeadLetterPage(List<DeadLetterStore.Entry> items, int page, int size, long total,
                                 long serverMillis) {
    }

    @Operation(summary = "Dead letters across stages, newest failure first, filtered and paged")
    @GetMapping("/dead-letters")
    public DeadLetterPage deadLetters(@RequestParam(required = false) String state,
                                      @RequestParam(required = false) String source,
                                      @RequestParam(required = false) String location,
                                      @RequestParam(required = false) String stage,
                                      @RequestParam(required = false) String errorClass,
                                      @RequestParam(required = false) Instant from,
                                      @RequestParam(required = false) Instant to,
                                      @RequestParam(defaultValue = "0") int page,
                                      @RequestParam(defaultValue = "50") int size) {
        long start = System.nanoTime();
        if (page < 0 || size < 1 || size > MAX_PAGE) {
            throw new ApiProblem(400, "bad-paging", "page >= 0 and 1 <= size <= " + MAX_PAGE);
        }
        var filter = new DeadLetterStore.Filter(blankToNull(state), source, location, stage, errorClass, from, to);
        DeadLetterStore.Page p = deadLetters.page(filter, page, size);
        return new DeadLetterPage(p.items(), page, size, p.total(), (System.nanoTime() - start) / 1_000_000);
    }

    @Operation(summary = "One dead letter with its payload (card-number-like digits and secrets masked) and headers")
    @GetMapping("/dead-letters/{id}")
    public Map<String, Object> deadLetter(@PathVariable UUID id) throws java.io.IOException {
        DeadLetterStore.Detail d = deadLetters.find(id)
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No dead letter " + id));
        Map<String, Object> view = new java.util.LinkedHashMap<>(json.convertValue(d.entry(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
        view.put("contentType", d.contentType());
        Map<String, Object> headers = new java.util.TreeMap<>(json.readValue(d.headers(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
        headers.replaceAll((k, v) -> SecretMask.isSecretName(k) ? SecretMask.MASK : v);
        view.put("headers", headers);
        view.put("payload", SecretMask.forDisplay(d.payload(), json));
        view.put("editable", DeadLetterStore.OPEN.equals(d.entry().state()));
        return view;
    }

    public record ReplayRequest(String payload) {
    }

    public record ActionResult(UUID id, String state) {
    }

    @Operation(summary = "Replay one dead letter at its failed stage; with a payload, the operator's corrected one "
            + "(validated first: 422 with the problems)")
    @PostMapping("/dead-letters/{id}/replay")
    public ActionResult replay(@PathVariable UUID id, @RequestBody(required = false) ReplayRequest request,
                               Authentication who) throws java.io.IOException {
        String edited = request == null || request.payload() == null ? null : request.payload();
        if (edited != null) {
            DeadLetterStore.Detail d = deadLetters.find(id)
                    .orElseThrow(() -> new ApiProblem(404, "not-found", "No dead letter " + id));
            List<String> problems = check.problems(d, edited);
            if (!problems.isEmpty()) {
                throw new ApiProblem(422, "invalid-payload", "The edited payload is not valid for "
                        + d.entry().queue(), Map.of("errors", problems));
            }
            edited = SecretMask.restore(edited, d.payload(), json);
        }
        String payload = edited;
        try {
            replay.replay(id, who.getName(), payload, "console");
        } catch (DeadLetterReplay.Refused r) {
            throw problem(r);
        }
        return new ActionResult(id, DeadLetterStore.REPLAYED);
    }

    public record ValidateRequest(String payload) {
    }

    public record Validation(boolean valid, List<String> errors) {
    }

    @Operation(summary = "Check an edited payload against the canonical schema or the payload's shape")
    @PostMapping("/dead-letters/{id}/validate")
    public Validation validate(@PathVariable UUID id, @RequestBody ValidateRequest request) {
        DeadLetterStore.Detail d = deadLetters.find(id)
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No dead letter " + id));
        List<String> problems = check.problems(d, request.payload() == null ? "" : request.payload());
        return new Validation(problems.isEmpty(), problems);
    }

    public record DiscardRequest(String reason) {
    }

    @Operation(summary = "Discard a dead letter with a reason (kept, closed, audited)")
    @PostMapping("/dead-letters/{id}/discard")
    public ActionResult discard(@PathVariable UUID id, @RequestBody DiscardRequest request, Authentication who) {
        try {
            replay.discard(id, who.getName(), request == null ? null : request.reason());
        } catch (DeadLetterReplay.Refused r) {
            throw problem(r);
        }
        return new ActionResult(id, DeadLetterStore.DISCARDED);
    }

    public record BulkRequest(DeadLetterStore.Filter filter) {
    }

    @Operation(summary = "Replay every open dead letter matching a filter, in the background; poll the job")
    @PostMapping("/replay-jobs")
    public ResponseEntity<ReplayJobs.Job> bulk(@RequestBody BulkRequest request, Authentication who) {
        DeadLetterStore.Filter f = request == null || request.filter() == null ? DeadLetterStore.Filter.open()
                : request.filter();
        ReplayJobs.Job job = jobs.start(f, who.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(job);
    }

    @Operation(summary = "Progress of a bulk replay")
    @GetMapping("/replay-jobs/{id}")
    public ReplayJobs.Job job(@PathVariable UUID id) {
        return jobs.find(id).orElseThrow(() -> new ApiProblem(404, "not-found", "No replay job " + id));
    }

    @Operation(summary = "The audit log of operator actions, newest first")
    @GetMapping("/audit")
    public AuditLog.Page audit(@RequestParam(required = false) String actor,
                               @RequestParam(required = false) String action,
                               @RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE) {
            throw new ApiProblem(400, "bad-paging", "page >= 0 and 1 <= size <= " + MAX_PAGE);
        }
        return audit.page(actor, action, page, size);
    }

    public record OrderSummary(UUID id, String displayId, String source, String channel, String locationId,
                               String status, Map<String, Object> total, String customerPhone, Instant createdAt,
                               PosState pos) {
    }

    /**
     * Whether the order is in its location's POS: {@code in-pos} (the pos stage delivered it), {@code not-in-pos}
     * (the hub is still putting it in: the POS is down or refusing; with the POS's last answer and when it came), or
     * {@code no-pos} (the location has no POS adapter).
     */
    public record PosState(String state, String lastAnswer, Instant lastAnswerAt) {
    }

    /** An order row for {@link #summary}: the order and whether the pos stage has delivered it. */
    private static final String SUMMARY = "select o.id, o.document, o.status, o.created_at, o.customer_phone, "
            + "(select count(*) from stage_delivery d where d.order_id = o.id and d.stage = 'pos' "
            + "and d.event_type = 'order.created') as in_pos from orders o ";
    private static final int POS_ANSWER_CHARS = 300;

    public record OrderList(List<OrderSummary> items) {
    }

    @Operation(summary = "Find orders by hub id, external id (a vendor's order id), display id or customer phone")
    @GetMapping("/orders")
    public OrderList orders(@RequestParam String q) {
        String text = q.trim();
        if (text.isEmpty() || text.length() > 100) {
            throw new ApiProblem(400, "bad-query", "q: 1 to 100 characters");
        }
        String select = SUMMARY;
        List<OrderSummary> found = new ArrayList<>();
        try {
            found.addAll(jdbc.query(select + "where o.id = ?", this::summary, UUID.fromString(text)));
        } catch (IllegalArgumentException notUuid) {
            // not a hub id
        }
        found.addAll(jdbc.query(select + "join order_external_id x on x.order_id = o.id where x.external_id = ? "
                + "order by o.created_at desc limit 50", this::summary, text));
        String digits = io.orderhub.order.OrderStore.phoneDigits(text);
        if (digits != null && digits.length() >= 6 && text.matches("[+0-9 ().-]+")) {
            found.addAll(jdbc.query(select + "where o.customer_phone like ? order by o.created_at desc limit 50",
                    this::summary, "%" + digits));
        }
        return new OrderList(found.stream().collect(java.util.stream.Collectors.toMap(OrderSummary::id, o -> o,
                (a, b) -> a, java.util.LinkedHashMap::new)).values().stream().toList());
    }

    public record TimelineView(OrderSummary order, List<Timeline.Entry> events) {
    }

    @Operation(summary = "Every event of one order across systems, in order: inbound payload, translation, "
            + "validation, deliveries with the vendors' answers, retries, status changes, operator actions")
    @GetMapping("/orders/{id}/timeline")
    public TimelineView orderTimeline(@PathVariable UUID id) {
        OrderSummary order = jdbc.query(SUMMARY + "where o.id = ?", this::summary, id).stream().findFirst()
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No order " + id));
        List<Timeline.Entry> events = new ArrayList<>(timeline.of(id));
        jdbc.query("select received_at, source, state, payload, reason from intake where order_id = ?", rs -> {
            events.add(new Timeline.Entry(rs.getTimestamp(1).toInstant(), "intake", "intake", rs.getString(2),
                    rs.getString(3) + (rs.getString(5) == null ? "" : " (" + rs.getString(5) + ")") + "\n"
                            + io.orderhub.support.Text.clip(SecretMask.forDisplay(rs.getString(4), json), 3000)));
        }, id);
        jdbc.query("select last_failure_at, stage, state, reason, id from dead_letter where order_id = ?", rs -> {
            events.add(new Timeline.Entry(rs.getTimestamp(1).toInstant(), "dead-letter", rs.getString(2), "hub",
                    rs.getString(3) + " " + rs.getString(5) + ": " + rs.getString(4)));
        }, id);
        events.sort(Comparator.comparing(Timeline.Entry::at));
        return new TimelineView(order, events);
    }

    @Operation(summary = "Vendor health: circuit, failure rate, latency, last success, webhooks, dead letters, "
            + "stale warnings; queue depths")
    @GetMapping("/health")
    public VendorHealth.Report health() {
        return health.report();
    }

    private OrderSummary summary(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        com.fasterxml.jackson.databind.JsonNode doc;
        try {
            doc = json.readTree(rs.getString("document"));
        } catch (java.io.IOException e) {
            doc = json.createObjectNode();
        }
        String phone = rs.getString("customer_phone");
        String masked = phone == null ? null : "+" + "•".repeat(Math.max(0, phone.length() - 4))
                + phone.substring(Math.max(0, phone.length() - 4));
        UUID id = rs.getObject("id", UUID.class);
        String location = doc.path("locationId").asText(null);
        return new OrderSummary(id, doc.path("displayId").asText(null),
                doc.path("source").asText(null), doc.path("channel").asText(null), location,
                rs.getString("status"), Map.of("amountMinor", doc.path("charges").path("total").path("amount").asLong(),
                "currency", doc.path("currency").asText("")), masked, rs.getTimestamp("created_at").toInstant(),
                posState(id, location, rs.getLong("in_pos") > 0));
    }

    private PosState posState(UUID order, String location, boolean delivered) {
        if (delivered) {
            return new PosState("in-pos", null, null);
        }
        if (location == null || !adapters.hasPos(location)) {
            return new PosState("no-pos", null, null);
        }
        // the POS's last answer (or the failure of the call), from the order's timeline: the entry's last part,
        // after the request (VendorCallLog)
        return jdbc.query("select at, detail from order_timeline where order_id = ? and stage = 'pos' and kind in "
                        + "('vendor-call', 'vendor-call-failed') order by id desc fetch first 1 rows only",
                (r, n) -> {
                    String detail = r.getString(2) == null ? "" : r.getString(2);
                    int from = Math.max(detail.lastIndexOf("\nanswered "), detail.lastIndexOf("\nfailed: "));
                    String answer = detail.substring(from + 1);
                    return new PosState("not-in-pos", io.orderhub.support.Text.clip(answer, POS_ANSWER_CHARS),
                            r.getTimestamp(1).toInstant());
                }, order).stream().findFirst().orElse(new PosState("not-in-pos", null, null));
    }

    private static ApiProblem problem(DeadLetterReplay.Refused r) {
        String type = switch (r.status()) {
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 422 -> "invalid-payload";
            default -> "unavailable";
        };
        return r.problems().isEmpty() ? new ApiProblem(r.status(), type, r.getMessage())
                : new ApiProblem(r.status(), type, r.getMessage(), Map.of("errors", r.problems()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() || s.equalsIgnoreCase("all") ? null : s;
    }
}
