package io.orderhub.kitchen;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The KDS API: the built-in screens use it, and so can an external kitchen display. Station queues (the board),
 * a live stream of the board (server-sent events, event "board"), and bumps of items and tickets.
 */
@RestController
@RequestMapping("/api/v1/kds")
@Tag(name = "Kitchen display", description = "Station queues, live boards and bumps")
public class KdsController {

    private final KitchenTickets tickets;
    private final KitchenService kitchen;
    private final KdsBroadcaster screens;

    public KdsController(KitchenTickets tickets, KitchenService kitchen, KdsBroadcaster screens) {
        this.tickets = tickets;
        this.kitchen = kitchen;
        this.screens = screens;
    }

    @Operation(summary = "Open tickets of a station (or, without station, the whole location: the expo view), most "
            + "urgent first; held tickets of scheduled orders with held=true")
    @GetMapping("/{location}/tickets")
    public Map<String, Object> board(@PathVariable String location, @RequestParam(required = false) String station,
                                     @RequestParam(defaultValue = "false") boolean held) {
        List<KitchenTicket> open = tickets.board(location, blank(station));
        return held ? Map.of("tickets", open, "held", tickets.held(location)) : Map.of("tickets", open);
    }

    @Operation(summary = "The board as server-sent events (event \"board\"), sent on every change and every few "
            + "seconds")
    @GetMapping(path = "/{location}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(@PathVariable String location, @RequestParam(required = false) String station) {
        return screens.subscribe(location, blank(station));
    }

    @Operation(summary = "Tickets of one order (any state)")
    @GetMapping("/orders/{orderId}/tickets")
    public List<KitchenTicket> ofOrder(@PathVariable UUID orderId) {
        return tickets.ofOrder(orderId);
    }

    @Operation(summary = "Bump a whole ticket: the order becomes ready when its last ticket is bumped")
    @PostMapping("/tickets/{id}/bump")
    public KitchenTicket bump(@PathVariable UUID id, Authentication who) {
        return kitchen.bumpTicket(id, who.getName());
    }

    @Operation(summary = "Bump one item of a ticket: the order's first bump starts its preparation")
    @PostMapping("/tickets/{id}/items/{index}/bump")
    public KitchenTicket bumpItem(@PathVariable UUID id, @PathVariable int index, Authentication who) {
        return kitchen.bumpItem(id, index, who.getName());
    }

    @ExceptionHandler(KitchenService.Refused.class)
    ResponseEntity<ProblemDetail> refused(KitchenService.Refused e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatusCode.valueOf(e.status()),
                e.getMessage());
        p.setType(java.net.URI.create("https://orderhub.io/problems/kitchen"));
        p.setTitle(e.status() == 404 ? "Not found" : "Conflict");
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() || "expo".equals(s) ? null : s;
    }
}
