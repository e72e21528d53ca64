package io.orderhub.order;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Camel's JDBC idempotent repository over the Flyway-made {@code CAMEL_MESSAGEPROCESSED} table, keyed by business
 * key, joining the caller's database transaction so the key and the order commit or roll back together.
 *
 * <p>Two fixes over the stock {@code add}: the insert runs in a savepoint (NESTED), so a duplicate-key race does
 * not abort the surrounding PostgreSQL transaction; and that race answers "already seen" instead of an error.
 * Nothing is cached in memory, so a failed insert is never remembered as seen.
 */
public class BusinessKeyRepository extends JdbcMessageIdRepository {

    private final TransactionTemplate savepoint;

    public BusinessKeyRepository(DataSource dataSource, DataSourceTransactionManager transactionManager,
                                 String processorName) {
        super(dataSource, new TransactionTemplate(transactionManager), processorName);
        setCreateTableIfNotExists(false);
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public boolean add(String key) {
        Boolean added = savepoint.execute(status -> {
            if (queryForInt(key) > 0) {
                return Boolean.FALSE;
            }
            try {
                insert(key);
                return Boolean.TRUE;
            } catch (DuplicateKeyException raced) {
                status.setRollbackOnly();
                return Boolean.FALSE;
            }
        });
        return Boolean.TRUE.equals(added);
    }
}
