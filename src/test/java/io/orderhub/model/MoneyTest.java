package io.orderhub.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void decimalsConvertExactlyToMinorUnitsHalfEven() {
        assertThat(Money.ofMajor("12.34", "USD").amount()).isEqualTo(1234);
        assertThat(Money.ofMajor("0.125", "USD").amount()).isEqualTo(12);   // half-even: down to even
        assertThat(Money.ofMajor("0.135", "USD").amount()).isEqualTo(14);   // half-even: up to even
        assertThat(Money.ofMajor("-3.10", "EUR").amount()).isEqualTo(-310);
        // 0.1 + 0.2 as doubles is 0.30000000000000004; as text it stays exact
        assertThat(Money.ofMajor(new BigDecimal("0.1").add(new BigDecimal("0.2")), "USD").amount()).isEqualTo(30);
    }

    @Test
    void zeroAndThreeDecimalCurrenciesKeepTheirOwnMinorUnit() {
        assertThat(Money.ofMajor("1500", "JPY").amount()).isEqualTo(1500);
        assertThat(Money.ofMajor("1500.5", "JPY").amount()).isEqualTo(1500);
        assertThat(Money.ofMajor("2.345", "KWD").amount()).isEqualTo(2345);
        assertThat(Money.ofMinor(2345, "KWD").toMajor()).isEqualByComparingTo("2.345");
    }

    @Test
    void amountE5IsMajorTimesTenToTheFifth() {
        assertThat(Money.ofE5(1_250_000, "USD").amount()).isEqualTo(1250);
        assertThat(Money.ofE5(1_250_000, "JPY").amount()).isEqualTo(12);
        assertThat(Money.ofE5(1_234_567, "USD").amount()).isEqualTo(1235);
    }

    @Test
    void arithmeticRefusesMixedCurrenciesAndOverflow() {
        assertThat(Money.ofMinor(100, "gbp").plus(Money.ofMinor(50, "GBP"))).isEqualTo(Money.ofMinor(150, "GBP"));
        assertThatThrownBy(() -> Money.ofMinor(1, "GBP").plus(Money.ofMinor(1, "USD")))
                .hasMessageContaining("currency mismatch");
        assertThatThrownBy(() -> Money.ofMinor(Long.MAX_VALUE, "USD").times(2)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new Money(1, "US")).hasMessageContaining("ISO-4217");
    }
}
