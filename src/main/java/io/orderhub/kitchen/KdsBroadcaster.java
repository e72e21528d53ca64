package io.orderhub.kitchen;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live KDS screens (server-sent events). Each screen subscribes for a location and a station (or the expo view);
 * whenever tickets of that location change in this hub, each of its screens gets the whole board again. Every few
 * seconds every screen gets its board anyway: that fires held tickets on time, and shows changes another hub
 * instance made (the board is read from the database, never from memory).
 */
@Component
public class KdsBroadcaster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KdsBroadcaster.class);

    private record Screen(String location, String station, SseEmitter emitter) {
    }

    private final KitchenTickets tickets;
    private final List<Screen> screens = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> pending = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kds-push");
        t.setDaemon(true);
        return t;
    });

    private final KdsWebhooks webhooks;

    public KdsBroadcaster(KitchenTickets tickets, KdsWebhooks webhooks) {
        this.tickets = tickets;
        this.webhooks = webhooks;
    }

    public SseEmitter subscribe(String location, String station) {
        SseEmitter emitter = new SseEmitter(0L);
        Screen screen = new Screen(location, station, emitter);
        screens.add(screen);
        emitter.onCompletion(() -> screens.remove(screen));
        emitter.onTimeout(() -> screens.remove(screen));
        emitter.onError(e -> screens.remove(screen));
        sender.submit(() -> push(screen));
        return emitter;
    }

    /** Tickets of this location changed: its screens are refreshed (coalesced, off the caller's thread). */
    public void changed(String location) {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            // called inside a transaction (a stage delivery): the screens read the tickets once they are committed
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            schedule(location);
                        }
                    });
            return;
        }
        schedule(location);
    }

    private void schedule(String location) {
        if (pending.putIfAbsent(location, Boolean.TRUE) == null) {
            sender.submit(() -> {
                pending.remove(location);
                screens.stream().filter(s -> s.location().equals(location)).forEach(this::push);
            });
        }
    }

    public void changed(List<String> locations) {
        locations.forEach(this::changed);
    }

    @Scheduled(fixedDelayString = "${orderhub.kitchen.refresh:3s}")
    public void refresh() {
        List<String> fired = webhooks.change(rows -> tickets.fireDue(t -> webhooks.add(rows, "kds.ticket.fired", t,
                null)));
        changed(fired);
        sender.submit(() -> screens.forEach(this::push));
    }

    private void push(Screen s) {
        try {
            s.emitter().send(SseEmitter.event().name("board").data(tickets.board(s.location(), s.station())));
        } catch (IOException | IllegalStateException gone) {
            screens.remove(s);
            log.debug("KDS screen {}/{} went away: {}", s.location(), s.station(), gone.toString());
        } catch (RuntimeException e) {
            log.warn("KDS board {}/{} not sent: {}", s.location(), s.station(), e.toString());
        }
    }

    public int screens() {
        return screens.size();
    }

    @Override
    public void close() {
        screens.forEach(s -> s.emitter().complete());
        sender.shutdownNow();
    }
}
