package io.orderhub.console;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Console users and login policy ({@code orderhub.console}). Users come from configuration: a password hash
 * ({@code {bcrypt}...}, made with {@code Totp hash <password>}), roles, and for operators and admins a TOTP secret,
 * normally from the environment (ORDERHUB_CONSOLE_USERS_0_TOTP_SECRET). See docs/console.md for plugging in an
 * identity provider instead.
 */
@ConfigurationProperties("orderhub.console")
public record ConsoleProperties(List<User> users, Boolean mfaRequired, Integer maxLoginFailures,
                                Duration loginLockout, Integer maxBulkReplay, Integer bulkReplayParallelism) {

    public record User(String username, String passwordHash, List<String> roles, String totpSecret) {
    }

    public List<User> usersOrNone() {
        return users == null ? List.of() : users;
    }

    /** Operators and admins must give a TOTP code (PCI DSS v4.0 8.4: MFA for administrative access). */
    public boolean mfa() {
        return mfaRequired == null || mfaRequired;
    }

    public int failuresBeforeLockout() {
        return maxLoginFailures == null ? 5 : maxLoginFailures;
    }

    public Duration lockout() {
        return loginLockout == null ? Duration.ofMinutes(15) : loginLockout;
    }

    public int bulkLimit() {
        return maxBulkReplay == null ? 10_000 : maxBulkReplay;
    }

    /** Replays one bulk job runs at a time (each vendor's rate limit and circuit still apply downstream). */
    public int bulkParallelism() {
        return bulkReplayParallelism == null || bulkReplayParallelism < 1 ? 4 : bulkReplayParallelism;
    }
}
