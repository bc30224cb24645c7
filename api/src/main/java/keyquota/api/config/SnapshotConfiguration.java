package keyquota.api.config;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Snapshots are written by a thread of their own. Axon's default writes a snapshot on the command's thread after
 * its commit but before its aggregate lock is released, needing a second connection while the commands queued on
 * that lock hold theirs: on a busy aggregate the pool ran dry and requests got 503. Here the command only queues
 * the snapshot and releases the lock.
 *
 * <p>A snapshot that fails (the database away, say) is not lost: the aggregate's next load still counts more
 * events than the threshold since its last snapshot, and schedules it again.
 */
@Configuration(proxyBeanMethods = false)
class SnapshotConfiguration {

    /**
     * One thread, in Spring's lifecycle. The queue is unbounded but short: Axon queues at most one snapshot per
     * aggregate at a time. Not a candidate for other injection points (Boot's own task executor stays).
     */
    @Bean(defaultCandidate = false)
    ThreadPoolTaskExecutor snapshotWriter() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setThreadNamePrefix("snapshot-");
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(5);
        return executor;
    }

    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration configuration,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore, TransactionManager transactionManager,
                                                    SnapshotterSpanFactory spanFactory,
                                                    @Qualifier("snapshotWriter")
                                                    ThreadPoolTaskExecutor snapshotWriter) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(snapshotWriter)
                .build();
    }
}
