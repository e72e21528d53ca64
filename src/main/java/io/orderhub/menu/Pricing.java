package io.orderhub.menu;

import io.orderhub.model.CanonicalOrder.Adjustment;
import io.orderhub.model.CanonicalOrder.Charges;
import io.orderhub.model.CanonicalOrder.Modifier;
import io.orderhub.model.CanonicalOrder.OrderLine;
import io.orderhub.model.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** Line and order arithmetic in minor units, shared by translators that compute totals and by validation. */
public final class Pricing {

    private Pricing() {
    }

    /** A modifier's price for one unit of its parent: quantity x (own price + its own modifiers). */
    public static Money modifierTotal(Modifier m) {
        Money own = m.unitPrice();
        for (Modifier child : nullSafe(m.modifiers())) {
            own = own.plus(modifierTotal(child));
        }
        return own.times(m.quantity());
    }

    /** (unit price + modifiers) x quantity. */
    public static Money lineTotal(Money unitPrice, List<Modifier> modifiers, int quantity) {
        Money unit = unitPrice;
        for (Modifier m : nullSafe(modifiers)) {
            unit = unit.plus(modifierTotal(m));
        }
        return unit.times(quantity);
    }

    public static Money subtotal(List<OrderLine> lines, String currency) {
        Money sum = Money.zero(currency);
        for (OrderLine line : lines) {
            sum = sum.plus(line.lineTotal());
        }
        return sum;
    }

    public static Money sum(List<Adjustment> adjustments, String currency) {
        Money sum = Money.zero(currency);
        for (Adjustment a : nullSafe(adjustments)) {
            sum = sum.plus(a.amount());
        }
        return sum;
    }

    /**
     * Charges for a location's tax rule: tax-inclusive prices (VAT) carry their tax inside the subtotal;
     * tax-exclusive prices (US sales tax) add it. Tax is on the discounted subtotal, rounded half-even.
     */
    public static Charges charges(List<OrderLine> lines, List<Adjustment> discounts, List<Adjustment> fees, Money tip,
                                  Menu.Location location) {
        String currency = location.currency();
        Money subtotal = subtotal(lines, currency);
        Money discountTotal = sum(discounts, currency);
        Money taxable = subtotal.minus(discountTotal);
        BigDecimal rate = location.taxRatePercent();
        BigDecimal base = BigDecimal.valueOf(taxable.amount()).multiply(rate);
        BigDecimal divisor = location.taxIncluded() ? BigDecimal.valueOf(100).add(rate) : BigDecimal.valueOf(100);
        Money tax = new Money(base.divide(divisor, 0, RoundingMode.HALF_EVEN).longValueExact(), currency);
        Money total = taxable.plus(sum(fees, currency)).plus(tip);
        if (!location.taxIncluded()) {
            total = total.plus(tax);
        }
        return new Charges(subtotal, List.copyOf(nullSafe(discounts)), tax, List.copyOf(nullSafe(fees)), tip, total);
    }

    static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
