package io.orderhub.broker;

import jakarta.jms.ConnectionFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where a send made on a queue consumer's thread commits.
 * <p>
 * A transacted consumer exposes its JMS session to the thread (camel.component.jms.expose-listener-session), so a
 * route's sends join the consumer's broker transaction: the consume and the sends commit together, in one journal
 * write, or roll back together. That is right for the pipeline's fan-out of a new order and for moving a message to
 * its dead-letter queue. It is wrong for two kinds of send, which go through {@link #onTheirOwn} instead:
 * <ul>
 *   <li>an outbox event: its row is deleted as soon as the send returns, so the send must be durable by then, not
 *       at the consumer's later commit (a rollback would lose the event with its row gone);</li>
 *   <li>a re-publication under an event id the broker may already hold: Artemis answers a duplicate id inside a
 *       transaction by rolling the whole transaction back, outside one by dropping just that message.</li>
 * </ul>
 * Spring keys the exposed session by the connection factory; this takes it off the thread for the duration of the
 * work and puts it back after, so the sends in between get their own session and commit one by one. The work also
 * runs outside any database transaction of the caller's (suspended, not joined): there Spring would otherwise tie
 * the send's session to that transaction and keep it on the thread until the transaction ends.
 */
@Component
public class BrokerSends {

    private final ConnectionFactory factory;
    private final TransactionTemplate outsideDatabaseTransaction;

    public BrokerSends(ConnectionFactory factory, PlatformTransactionManager transactions) {
        this.factory = factory;
        this.outsideDatabaseTransaction = new TransactionTemplate(transactions);
        this.outsideDatabaseTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
    }

    /** Runs sends outside any consumer's broker transaction on this thread: each is durable when it returns. */
    public void onTheirOwn(Runnable sends) {
        Object consumerSession = TransactionSynchronizationManager.hasResource(factory)
                ? TransactionSynchronizationManager.unbindResource(factory) : null;
        try {
            outsideDatabaseTransaction.executeWithoutResult(status -> sends.run());
        } finally {
            if (consumerSession != null) {
                TransactionSynchronizationManager.bindResource(factory, consumerSession);
            }
        }
    }
}
