package io.orderhub.support;

import io.orderhub.support.TestDatabases.Database;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * For tests that run against every database the hub supports: {@code @ParameterizedTest @MethodSource("databases")}
 * gets a fresh, migrated H2 and, when {@code -Dorderhub.test.postgres.url} is given (.ci/run gives it), a fresh
 * PostgreSQL schema; they are dropped and closed after the class.
 */
public abstract class EveryDatabase {

    private static final TestDatabases DATABASES = new TestDatabases();

    protected static Stream<Database> databases() {
        return DATABASES.create().stream();
    }

    @AfterAll
    static void closeDatabases() {
        DATABASES.close();
    }
}
