package io.orderhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The stale-webhook warning of the vendor health view. */
class VendorHealthTest {

    private static final Instant NOW = Instant.parse("2026-11-21T20:30:00Z");
    private static final Duration QUIET = Duration.ofMinutes(30);

    @Test
    void aBusyVendorGoneQuietForLongerThanTheLimitIsStale() {
        assertThat(VendorHealth.staleReason(true, 140, NOW.minus(Duration.ofMinutes(42)), NOW, QUIET, 20))
                .isEqualTo("No webhook for 42 min; usually 140 a day");
    }

    @Test
    void quietForLessThanTheLimitOrUsuallyQuietOrNeverSendingIsNotStale() {
        assertThat(VendorHealth.staleReason(true, 140, NOW.minus(Duration.ofMinutes(29)), NOW, QUIET, 20)).isNull();
        assertThat(VendorHealth.staleReason(true, 19, NOW.minus(Duration.ofHours(3)), NOW, QUIET, 20)).isNull();
        assertThat(VendorHealth.staleReason(false, 140, NOW.minus(Duration.ofHours(3)), NOW, QUIET, 20)).isNull();
        assertThat(VendorHealth.staleReason(true, 140, null, NOW, QUIET, 20)).isNull();
    }
}
