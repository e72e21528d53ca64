package io.orderhub.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

    /** Time-ordered: version 7, each id above the one before (also within one millisecond), none repeated. */
    @Test
    void idsAreVersionSevenAndIncreaseInTheOrderTheyWereMade() {
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            made.add(Ids.next());
        }
        assertThat(made).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
        assertThat(new HashSet<>(made)).hasSize(made.size());
        for (int i = 1; i < made.size(); i++) {
            UUID before = made.get(i - 1);
            UUID after = made.get(i);
            // the order H2 and PostgreSQL keep uuid columns in: unsigned, most significant half first
            int order = Long.compareUnsigned(before.getMostSignificantBits(), after.getMostSignificantBits());
            if (order == 0) {
                order = Long.compareUnsigned(before.getLeastSignificantBits(), after.getLeastSignificantBits());
            }
            assertThat(order).as("%s before %s", before, after).isNegative();
        }
        long millis = made.get(0).getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
    }
}
