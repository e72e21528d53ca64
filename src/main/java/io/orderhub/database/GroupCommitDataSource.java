package io.orderhub.database;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The pool's connections, made to return from a commit only when it is in the database file ({@link GroupCommit}).
 * A connection remembers whether it wrote since its last commit: {@code commit()} (or switching auto-commit back
 * on) then waits for the shared write; a write in auto-commit mode waits as its statement returns. Reads never wait.
 * <p>
 * Used only for an embedded H2 file that H2 itself writes in the background ({@code WRITE_DELAY} above 0): with
 * {@code WRITE_DELAY=0}, or on PostgreSQL, a commit is already durable when it returns and the pool is used as is.
 */
public final class GroupCommitDataSource extends DelegatingDataSource {

    private static final Set<String> WRITES = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch");

    private final GroupCommit group;

    public GroupCommitDataSource(DataSource pool, GroupCommit group) {
        super(pool);
        this.group = group;
    }

    /** The pool itself, or the pool wrapped when its database is an H2 file written in the background. */
    public static DataSource wrapIfNeeded(DataSource pool) {
        try {
            MVStore store = DatabaseHousekeeping.embeddedStore(pool);
            if (store == null || store.getFileStore().getAutoCommitDelay() == 0) {
                return pool;
            }
            return new GroupCommitDataSource(pool, GroupCommit.of(store));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to see what it is: " + e.getMessage(), e);
        }
    }

    /** The shared writer (its counts are the hub's metrics). */
    public GroupCommit group() {
        return group;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(super.getConnection(username, password));
    }

    private Connection wrap(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new Tracked(target));
    }

    private final class Tracked implements InvocationHandler {

        private final Connection target;
        /** Written since the last commit or rollback, in a transaction (auto-commit off). */
        private boolean wrote;

        Tracked(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "commit" -> {
                    target.commit();
                    written();
                    return null;
                }
                case "rollback" -> {
                    Object result = call(target, method, args);
                    if (args == null) {
                        wrote = false;
                    }
                    return result;
                }
                case "setAutoCommit" -> {
                    boolean before = target.getAutoCommit();
                    target.setAutoCommit((Boolean) args[0]);
                    if (!before && (Boolean) args[0]) {
                        // switching auto-commit on commits the transaction (JDBC)
                        written();
                    }
                    return null;
                }
                case "createStatement", "prepareStatement", "prepareCall" -> {
                    Object statement = call(target, method, args);
                    Class<?> type = method.getReturnType();
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                            new TrackedStatement(statement, (Connection) proxy));
                }
                case "isWrapperFor" -> {
                    return ((Class<?>) args[0]).isInstance(proxy) || target.isWrapperFor((Class<?>) args[0]);
                }
                case "unwrap" -> {
                    return ((Class<?>) args[0]).isInstance(proxy) ? proxy : target.unwrap((Class<?>) args[0]);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    return call(target, method, args);
                }
            }
        }

        private void written() {
            if (wrote) {
                wrote = false;
                group.awaitWritten();
            }
        }

        /** A statement that may have changed data has run. */
        void wroteOne() throws SQLException {
            if (target.getAutoCommit()) {
                group.awaitWritten();
            } else {
                wrote = true;
            }
        }

        private final class TrackedStatement implements InvocationHandler {

            private final Object statement;
            private final Connection connection;

            TrackedStatement(Object statement, Connection connection) {
                this.statement = statement;
                this.connection = connection;
            }

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                String name = method.getName();
                if ("getConnection".equals(name)) {
                    return connection;
                }
                if ("isWrapperFor".equals(name)) {
                    Class<?> type = (Class<?>) args[0];
                    return type.isInstance(proxy) || ((Statement) statement).isWrapperFor(type);
                }
                if ("unwrap".equals(name)) {
                    Class<?> type = (Class<?>) args[0];
                    return type.isInstance(proxy) ? proxy : ((Statement) statement).unwrap(type);
                }
                Object result = call(statement, method, args);
                if (WRITES.contains(name)) {
                    wroteOne();
                }
                return result;
            }
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
