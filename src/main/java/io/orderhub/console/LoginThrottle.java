package io.orderhub.console;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Rate limit on sign-in: after {@code maxLoginFailures} failures for a user name, or five times that many from
 * one address, further attempts are refused until {@code loginLockout} has passed since the last failure. In memory
 * (per hub process): a restart clears it, which an attacker cannot trigger from outside.
 */
@Component
public class LoginThrottle {

    private final ConsoleProperties properties;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(ConsoleProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    private record Failures(int count, Instant last) {
    }

    public boolean locked(String username, String address) {
        return over("user:" + username, properties.failuresBeforeLockout())
                || over("ip:" + address, properties.failuresBeforeLockout() * 5);
    }

    public void failed(String username, String address) {
        Instant now = Instant.now(clock);
        for (String key : new String[] {"user:" + username, "ip:" + address}) {
            failures.compute(key, (k, f) -> f == null || expired(f) ? new Failures(1, now)
                    : new Failures(f.count() + 1, now));
        }
        if (failures.size() > 100_000) {
            failures.values().removeIf(this::expired);
        }
    }

    public void succeeded(String username) {
        failures.remove("user:" + username);
    }

    private boolean over(String key, int max) {
        Failures f = failures.get(key);
        return f != null && !expired(f) && f.count() >= max;
    }

    private boolean expired(Failures f) {
        return f.last().plus(properties.lockout()).isBefore(Instant.now(clock));
    }
}
