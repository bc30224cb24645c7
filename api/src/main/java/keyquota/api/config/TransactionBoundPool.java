package keyquota.api.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * The connection pool as the application sees it: a transaction takes its connection at its first statement,
 * not when it begins. A command waiting for its aggregate's lock (Axon takes it before reading the events)
 * therefore holds no connection, so commands queued on one busy aggregate cannot drain the pool that the lock
 * holder, authentication and every other request need.
 */
final class TransactionBoundPool extends LazyConnectionDataSourceProxy implements AutoCloseable {

    private final HikariDataSource pool;

    private TransactionBoundPool(HikariDataSource pool) {
        super(pool);
        this.pool = pool;
    }

    /** The pool, tuned by the standard {@code spring.datasource.hikari.*} settings. */
    static TransactionBoundPool of(HikariDataSource pool, Environment environment) {
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(pool));
        return new TransactionBoundPool(pool);
    }

    @Override
    public void close() {
        pool.close();
    }
}
