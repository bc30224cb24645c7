package keyquota.api.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import keyquota.api.audit.ActorMetadataInterceptor;
import keyquota.api.error.DatabaseFailures;
import keyquota.application.notification.NotificationPolicy;
import keyquota.domain.audit.AuditMetadata;
import keyquota.domain.key.KeyCreatedUpcaster;
import keyquota.domain.key.CreateKey;
import keyquota.domain.key.DeleteKey;
import keyquota.domain.key.DisableKey;
import keyquota.domain.key.EnableKey;
import keyquota.domain.key.ExtendKey;
import keyquota.domain.key.RenameKey;
import keyquota.domain.key.RollKey;
import keyquota.domain.membership.Membership;
import keyquota.projections.audit.AuditProjection;
import keyquota.projections.quota.UsageHistoryProjection;
import keyquota.domain.operator.OperatorKey;
import keyquota.domain.project.Project;
import keyquota.domain.quota.ProjectQuota;
import keyquota.domain.quotarequest.QuotaRequest;
import keyquota.domain.servicekey.ServiceKey;
import keyquota.domain.webhook.Webhook;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessingException;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Axon's messaging: Jackson for every message, the aggregates with their caches, locks and snapshots, command
 * retries, the metadata every event carries, and no event handler error that is logged and skipped. Where the
 * messages are stored is {@link keyquota.infrastructure.eventstore.AxonStorageConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class AxonConfiguration {

    private static final int SNAPSHOT_EVERY = 100;
    private static final int STREAMING_ATTEMPTS = 3;
    private static final int LOCK_WAIT_MILLIS = 10_000;
    private static final int MAX_QUEUED_ON_ONE_AGGREGATE = 64;

    /**
     * Axon's own mapper, so the stored event format does not change when someone tunes {@code spring.jackson.*}.
     * Unknown properties are ignored so that an event stored by a newer version still loads.
     */
    @Bean("defaultAxonObjectMapper")
    ObjectMapper defaultAxonObjectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .addMixIn(ProjectQuota.class, SnapshotFields.class)
                .addMixIn(Membership.class, SnapshotFields.class)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Every event carries who caused it and the request's correlation id, copied from its command. */
    @Bean
    CorrelationDataProvider auditMetadata() {
        return new SimpleCorrelationDataProvider(AuditMetadata.CORRELATION_ID, AuditMetadata.ACTOR_TYPE,
                AuditMetadata.ACTOR_USER_ID, AuditMetadata.ACTOR_KEY_ID);
    }

    /** A failing event of a streaming read model is tried this often before it is parked as a dead letter. */
    @Bean
    HandlerEnhancerDefinition retryStreamingHandlers(PlatformTransactionManager transactions) {
        return new RetryInSavepoint(Set.of(AuditProjection.NAME, UsageHistoryProjection.NAME), transactions,
                STREAMING_ATTEMPTS);
    }

    /**
     * Axon's auto-configuration falls back to NoTransactionManager under Spring Boot 4; without this bean the
     * event append and the projections' writes would commit separately.
     */
    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    /**
     * Spring's snapshotter finds aggregate types by their factories among the beans; the model is inspected
     * with Axon's resolvers, which give command handlers their Spring-bean parameters.
     */
    @Bean
    AggregateFactory<ProjectQuota> projectQuotaFactory(ParameterResolverFactory parameterResolvers) {
        return new GenericAggregateFactory<>(
                AnnotatedAggregateMetaModelFactory.inspectAggregate(ProjectQuota.class, parameterResolvers));
    }

    @Bean
    AggregateFactory<Membership> membershipFactory(ParameterResolverFactory parameterResolvers) {
        return new GenericAggregateFactory<>(
                AnnotatedAggregateMetaModelFactory.inspectAggregate(Membership.class, parameterResolvers));
    }

    /**
     * Aggregates stay in memory between commands ({@link CheckedCachingRepository}), so a command costs at most
     * one indexed read rather than a replay. The two that grow with use (a member's keys, a project's allocations)
     * are also snapshotted, so that loading one afresh (after a restart, or after another node moved it) reads
     * a snapshot and at most a hundred events, never the whole history.
     */
    @Bean
    ConfigurerModule aggregatesAndProcessors(AggregateFactory<ProjectQuota> projectQuotaFactory,
                                             AggregateFactory<Membership> membershipFactory) {
        return configurer -> {
            configurer.configureAggregate(aggregate(Project.class, null))
                    .configureAggregate(aggregate(Membership.class, membershipFactory))
                    .configureAggregate(aggregate(ServiceKey.class, null))
                    .configureAggregate(aggregate(OperatorKey.class, null))
                    .configureAggregate(aggregate(Webhook.class, null))
                    .configureAggregate(aggregate(ProjectQuota.class, projectQuotaFactory))
                    .configureAggregate(aggregate(QuotaRequest.class, null));
            configurer.registerEventUpcaster(c -> new KeyCreatedUpcaster());
            configurer.eventProcessing()
                    .usingSubscribingEventProcessors()
                    .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                    .registerDeadLetterPolicy(AuditProjection.NAME, c -> AxonConfiguration::parkUnlessDatabaseIsAway)
                    .registerDeadLetterPolicy(UsageHistoryProjection.NAME,
                            c -> AxonConfiguration::parkUnlessDatabaseIsAway)
                    // From the head: on a database whose history the command path wrote, that is where it ends.
                    .registerPooledStreamingEventProcessorConfiguration(UsageHistoryProjection.NAME, (c, builder) ->
                            builder.initialToken(StreamableMessageSource::createHeadToken))
                    // From the head: a first start tells nobody of what happened before notifications existed.
                    .registerPooledStreamingEventProcessorConfiguration(NotificationPolicy.NAME, (c, builder) ->
                            builder.initialToken(StreamableMessageSource::createHeadToken));
        };
    }

    /**
     * A database that is away is no reason to park an event: parked, it would take every later event of its
     * aggregate with it (DatabaseRestartIT saw a thousand allocations parked after one such failure at a restart).
     * Thrown on, it stops the batch, and the processor tries it again, in order, once the database is back. So does
     * a failure outside a savepoint ({@link RetryInSavepoint}): its batch is tried again in savepoints. Every other
     * failure parks the event as a dead letter, for a retry after a fix.
     */
    static EnqueueDecision<EventMessage<?>> parkUnlessDatabaseIsAway(DeadLetter<? extends EventMessage<?>> letter,
                                                                   Throwable cause) {
        for (Throwable failure = cause; failure != null; failure = failure.getCause()) {
            if (failure instanceof RetryInSavepoint.TryAgainInSavepoints again) {
                throw again;
            }
        }
        if (DatabaseFailures.isUnavailable(cause)) {
            throw cause instanceof RuntimeException runtime ? runtime
                    : new EventProcessingException("The database is away; the event is tried again", cause);
        }
        return Decisions.enqueue(cause);
    }

    /** @param snapshotted the factory of an aggregate that is snapshotted, or null for one that is not */
    private static <A> AggregateConfigurer<A> aggregate(Class<A> type, AggregateFactory<A> snapshotted) {
        Cache cache = new WeakReferenceCache();
        return AggregateConfigurer.defaultConfiguration(type).configureRepository(c -> {
            EventSourcingRepository.Builder<A> repository = EventSourcingRepository.builder(type)
                    .parameterResolverFactory(c.parameterResolverFactory())
                    .handlerDefinition(c.handlerDefinition(type))
                    .repositoryProvider(c::repository)
                    .lockFactory(locksTakenInArrivalOrder());
            if (snapshotted != null) {
                repository.aggregateFactory(snapshotted)
                        .snapshotTriggerDefinition(new EventCountSnapshotTriggerDefinition(c.snapshotter(),
                                SNAPSHOT_EVERY));
            }
            return CheckedCachingRepository.of(repository, cache, c.eventStore());
        });
    }

    /**
     * Commands on one aggregate wait for its lock in arrival order. Axon's default retries the lock every 10 ms,
     * each retry joining the back of the queue: on a busy project some requests waited 8 s while others passed.
     * One long attempt keeps the lock's own first-come order. (Axon tries once at once, then makes timed
     * attempts while more than one of its {@code acquireAttempts} remain: 3 gives exactly one timed attempt.)
     * Beyond a queue of {@value #MAX_QUEUED_ON_ONE_AGGREGATE} a command is refused at once (503), rather than
     * letting one hot aggregate hold every request thread.
     */
    private static LockFactory locksTakenInArrivalOrder() {
        return PessimisticLockFactory.builder()
                .queueLengthThreshold(MAX_QUEUED_ON_ONE_AGGREGATE)
                .acquireAttempts(3)
                .lockAttemptTimeout(LOCK_WAIT_MILLIS)
                .build();
    }

    /**
     * Axon's bus, as its auto-configuration builds it, with group commit for the commands of keys
     * ({@link GroupCommitCommandBus}): many members working at once share their transactions and commits. Those are
     * decided by {@code Membership} alone and change nothing outside their unit of work, so a group that is rolled
     * back can hand each of them to be handled again alone.
     */
    @Bean(destroyMethod = "")
    @Qualifier("localSegment")
    SimpleCommandBus commandBus(TransactionManager axonTransactionManager, org.axonframework.config.Configuration axon,
                                DuplicateCommandHandlerResolver duplicateCommandHandlerResolver) {
        Set<Class<?>> keyCommands = Set.of(CreateKey.class, ExtendKey.class, RenameKey.class, DisableKey.class,
                EnableKey.class, RollKey.class, DeleteKey.class);
        SimpleCommandBus commandBus = new GroupCommitCommandBus(SimpleCommandBus.builder()
                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus")),
                axonTransactionManager, command -> keyCommands.contains(command.getClass()));
        commandBus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return commandBus;
    }

    /**
     * Two nodes that append to one aggregate at once clash on its sequence number; the loser is retried on a
     * fresh copy of the aggregate instead of failing. Only that clash is retried: a rejected command is final.
     * Allocations and releases waiting for one quota are decided together ({@link UsageBatchingCommandBus}). A
     * refusal is checked against the store before it is answered ({@link CheckedCachingRepository}).
     */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus, org.axonframework.config.Configuration axon,
                                  @Qualifier("commandRetries") ScheduledExecutorService commandRetries) {
        commandBus.registerHandlerInterceptor(CheckedCachingRepository.refusalsOnCurrentCopies());
        return DefaultCommandGateway.builder()
                .commandBus(new UsageBatchingCommandBus(commandBus, axon.messageMonitor(CommandBus.class,
                        "commandBus")))
                .dispatchInterceptors(new ActorMetadataInterceptor())
                .retryScheduler(IntervalRetryScheduler.builder()
                        .retryExecutor(commandRetries)
                        .retryInterval(20)
                        .maxRetryCount(10)
                        .nonTransientFailurePredicate(failure -> isFinal(failure)
                                // inside a caller's transaction, a failure has aborted that transaction: a retry
                                // (on another thread) would commit on its own; the caller retries it whole
                                || TransactionSynchronizationManager.isActualTransactionActive())
                        .build())
                .build();
    }

    /**
     * The thread that retries commands which lost a race with another node, stopped with the application; not a
     * candidate for other injection points.
     */
    @Bean(destroyMethod = "shutdownNow", defaultCandidate = false)
    ScheduledExecutorService commandRetries() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "command-retries"));
    }

    /** Snapshots hold an aggregate's fields as they are; the domain stays free of Jackson annotations. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
            getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    private abstract static class SnapshotFields {
    }

    /** Axon tests a failure and each of its causes; a clash is a ConcurrencyException caused by an SQLException. */
    private static boolean isFinal(Throwable failure) {
        return !(failure instanceof ConcurrencyException || failure instanceof SQLException);
    }
}
