package keyquota.infrastructure.readmodel;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.function.BiFunction;

/**
 * A read model that can be rebuilt from the event store.
 *
 * @param name     its name, also its processing group
 * @param tables   the tables it owns; its handlers write to no others
 * @param handlers makes a fresh instance of its event handlers, which write through the writes given to whatever
 *                 tables the connection's search path finds first
 */
public record ReadModel(String name, List<String> tables, BiFunction<JdbcClient, ReadModelWrites, Object> handlers) {
}
