package keyquota.infrastructure.readmodel;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.OptionalLong;

/**
 * The live read models' writes, gathered while a subscribing processor handles the events of one unit of work and
 * sent in JDBC batches ({@link BatchedWrites}) as that unit prepares to commit, still inside the command's
 * transaction. A command's events used to cost a round trip per statement while the aggregate stayed locked; the
 * allocations and releases decided together on a busy quota now cost one per statement kind. Handlers only write
 * (as for a rebuild, which batches the same way), so none misses a write of its own that is not sent yet.
 * Outside a unit of work a statement runs at once.
 */
@Primary
@Component
public class UnitOfWorkWrites implements ReadModelWrites {

    private final String resource = UnitOfWorkWrites.class.getName() + "@" + System.identityHashCode(this);
    private final JdbcTemplate jdbc;

    public UnitOfWorkWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void update(String sql, Object... params) {
        if (CurrentUnitOfWork.isStarted()) {
            gathered(CurrentUnitOfWork.get()).update(sql, params);
        } else {
            jdbc.update(sql, params);
        }
    }

    @Override
    public void updateIn(Object scope, String sql, Object... params) {
        if (CurrentUnitOfWork.isStarted()) {
            gathered(CurrentUnitOfWork.get()).updateIn(scope, sql, params);
        } else {
            jdbc.update(sql, params);
        }
    }

    private BatchedWrites gathered(UnitOfWork<?> unitOfWork) {
        return unitOfWork.getOrComputeResource(resource, key -> {
            BatchedWrites writes = new BatchedWrites(jdbc);
            unitOfWork.onPrepareCommit(committing -> writes.flush());
            return writes;
        });
    }

    @Override
    public OptionalLong eventPosition() {
        return OptionalLong.empty();
    }
}
