package dev.flywheel.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A session that notes every statement sent through it, as it is sent (before any answer), then passes
 * it to a real session: what a backend asked of Cassandra, with no timing involved.
 */
final class RecordingSession implements InvocationHandler {
    /** One statement as sent: its CQL, the level it runs at (the session's default if it names none), its values. */
    record Sent(String cql, ConsistencyLevel level, Statement<?> statement) {
        boolean reads(String table) {
            return cql.startsWith("SELECT") && cql.contains("." + table + " ");
        }

        /** A bound value by column name. */
        int intValue(String name) {
            return ((BoundStatement) statement).getInt(name);
        }
    }

    private final CqlSession real;
    private final ConsistencyLevel defaultLevel;
    private final List<Sent> sent = new ArrayList<>();

    private RecordingSession(CqlSession real) {
        this.real = real;
        this.defaultLevel = DefaultConsistencyLevel.valueOf(
                real.getContext().getConfig().getDefaultProfile().getString(DefaultDriverOption.REQUEST_CONSISTENCY));
    }

    /** The recorder of {@code real}, and the session to hand a backend in its place. */
    static RecordingSession over(CqlSession real) {
        return new RecordingSession(real);
    }

    CqlSession session() {
        return (CqlSession) Proxy.newProxyInstance(CqlSession.class.getClassLoader(), new Class<?>[] {CqlSession.class}, this);
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    synchronized void clear() {
        sent.clear();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (args != null && args.length > 0 && args[0] instanceof Statement<?> statement
                && (method.getName().equals("execute") || method.getName().equals("executeAsync"))) {
            ConsistencyLevel level = statement.getConsistencyLevel() == null ? defaultLevel
                    : DefaultConsistencyLevel.valueOf(statement.getConsistencyLevel().name());
            synchronized (this) {
                sent.add(new Sent(cqlOf(statement), level, statement));
            }
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String cqlOf(Statement<?> statement) {
        return switch (statement) {
            case BoundStatement bound -> bound.getPreparedStatement().getQuery();
            case SimpleStatement simple -> simple.getQuery();
            case BatchStatement batch -> "BATCH";
            default -> statement.toString();
        };
    }
}
