package keyquota.infrastructure.readmodel;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.OptionalLong;

/**
 * Writes of a live read model that must run inside its handler: each statement executed when the handler makes it
 * (the audit log's handler runs each event in a savepoint, to park it should it fail). Others gather theirs
 * ({@link UnitOfWorkWrites}).
 */
@Component
public class ImmediateWrites implements ReadModelWrites {

    private final JdbcClient jdbc;

    public ImmediateWrites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void update(String sql, Object... params) {
        jdbc.sql(sql).params(params).update();
    }

    @Override
    public void updateIn(Object scope, String sql, Object... params) {
        update(sql, params);
    }

    @Override
    public OptionalLong eventPosition() {
        return OptionalLong.empty();
    }
}
