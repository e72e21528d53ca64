package io.orderhub.model;

import static io.orderhub.model.OrderStatus.ACCEPTED;
import static io.orderhub.model.OrderStatus.CANCELLED;
import static io.orderhub.model.OrderStatus.COMPLETED;
import static io.orderhub.model.OrderStatus.DISPATCHED;
import static io.orderhub.model.OrderStatus.IN_PREPARATION;
import static io.orderhub.model.OrderStatus.READY;
import static io.orderhub.model.OrderStatus.REFUNDED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrderStateMachineTest {

    @Test
    void theHappyPathsAreLegal() {
        assertThat(OrderStateMachine.check(ACCEPTED, IN_PREPARATION, OrderType.DELIVERY)).isEmpty();
        assertThat(OrderStateMachine.check(IN_PREPARATION, READY, OrderType.DELIVERY)).isEmpty();
        assertThat(OrderStateMachine.check(READY, DISPATCHED, OrderType.DELIVERY)).isEmpty();
        assertThat(OrderStateMachine.check(DISPATCHED, COMPLETED, OrderType.DELIVERY)).isEmpty();
        assertThat(OrderStateMachine.check(READY, COMPLETED, OrderType.PICKUP)).isEmpty();
        assertThat(OrderStateMachine.check(COMPLETED, REFUNDED, OrderType.PICKUP)).isEmpty();
        assertThat(OrderStateMachine.check(READY, CANCELLED, OrderType.DINE_IN)).isEmpty();
    }

    @Test
    void illegalMovesComeWithAReason() {
        assertThat(OrderStateMachine.check(COMPLETED, IN_PREPARATION, OrderType.PICKUP)).contains(
                "cannot move an order from completed to in_preparation; allowed next: refunded");
        assertThat(OrderStateMachine.check(DISPATCHED, CANCELLED, OrderType.DELIVERY)).isPresent();
        assertThat(OrderStateMachine.check(READY, DISPATCHED, OrderType.CURBSIDE)).get().asString()
                .contains("only delivery orders are dispatched");
        assertThat(OrderStateMachine.check(REFUNDED, ACCEPTED, OrderType.PICKUP)).get().asString()
                .contains("refunded is final");
        assertThat(OrderStateMachine.check(READY, READY, OrderType.PICKUP)).contains("order is already ready");
    }

    @Test
    void everyStatusHasADefinedSetOfNextStatuses() {
        for (OrderStatus s : OrderStatus.values()) {
            assertThat(OrderStateMachine.allowedFrom(s)).doesNotContain(s);
        }
        assertThat(OrderStateMachine.allowedFrom(REFUNDED)).isEmpty();
    }

    @Test
    void wireNamesAreLowerSnakeCase() {
        assertThat(IN_PREPARATION.wire()).isEqualTo("in_preparation");
        assertThat(OrderStatus.fromWire("In-Preparation")).isEqualTo(IN_PREPARATION);
    }
}
