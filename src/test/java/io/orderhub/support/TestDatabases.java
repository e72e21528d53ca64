package io.orderhub.support;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The databases the hub supports, each migrated by Flyway into a fresh schema: an in-memory H2 always, and
 * PostgreSQL when {@code -Dorderhub.test.postgres.url} is given (.ci/run gives it when PostgreSQL runs on the
 * machine). {@link #close()} drops the PostgreSQL schemas and closes the pools.
 */
public final class TestDatabases implements AutoCloseable {

    /** One migrated database; its name is what a parameterized test shows. */
    public record Database(String name, HikariDataSource dataSource) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<Runnable> cleanup = new ArrayList<>();

    /** A fresh, migrated database of every kind available here. */
    public List<Database> create() {
        List<Database> dbs = new ArrayList<>();
        HikariDataSource h2 = pool("jdbc:h2:mem:t" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa");
        Flyway.configure().dataSource(h2).load().migrate();
        dbs.add(new Database("H2", h2));
        String pgUrl = System.getProperty("orderhub.test.postgres.url", "");
        if (!pgUrl.isBlank()) {
            String user = System.getProperty("orderhub.test.postgres.user", "postgres");
            String schema = "oh_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            HikariDataSource admin = pool(pgUrl, user);
            new JdbcTemplate(admin).execute("create schema " + schema);
            HikariDataSource pg = pool(pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema, user);
            Flyway.configure().dataSource(pg).schemas(schema).load().migrate();
            cleanup.add(() -> new JdbcTemplate(admin).execute("drop schema " + schema + " cascade"));
            dbs.add(new Database("PostgreSQL", pg));
        }
        return dbs;
    }

    private HikariDataSource pool(String url, String user) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(user);
        ds.setMaximumPoolSize(12);
        pools.add(ds);
        return ds;
    }

    /** Drops what {@link #create()} made so far and closes its pools; the next create() starts afresh. */
    @Override
    public void close() {
        cleanup.forEach(Runnable::run);
        pools.forEach(HikariDataSource::close);
        cleanup.clear();
        pools.clear();
    }
}
