package keyquota.api.bench;

import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.domain.key.KeyCreated;
import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyDeletionReason;
import keyquota.domain.key.KeyExtended;
import keyquota.domain.membership.MemberJoined;
import keyquota.domain.membership.MembershipId;
import keyquota.domain.membership.Role;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebuilding read models from a store of a million events. Not part of the test run; run it with
 * {@code mvn -B -pl api -am verify -Dtest=ReplayBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read the figures in api/target/surefire-reports/keyquota.api.bench.ReplayBenchmark-output.txt.
 */
class ReplayBenchmark extends ApiTest {

    private static final int MEMBERSHIPS = 10_000;
    /** Each membership: joined, then 33 keys created, extended and deleted: 100 events. */
    private static final int KEYS_PER_MEMBERSHIP = 33;

    @Autowired
    private EventStorageEngine storage;

    @Autowired
    private TransactionTemplate transactions;

    @Test
    void rebuildFromAMillionEvents() {
        String project = createProject();
        long appendStart = System.nanoTime();
        long events = 0;
        long keysCreated = 0;
        List<EventMessage<?>> batch = new ArrayList<>();
        Instant now = clock.instant();
        for (int m = 0; m < MEMBERSHIPS; m++) {
            String user = "user" + m;
            String aggregate = MembershipId.of(project, user);
            long sequence = 0;
            batch.add(event(aggregate, sequence++, new MemberJoined(project, user, Role.TENANT_USER, now)));
            for (int k = 0; k < KEYS_PER_MEMBERSHIP; k++) {
                UUID keyId = UUID.randomUUID();
                Instant expiry = now.plus(Duration.ofDays(30));
                batch.add(event(aggregate, sequence++, new KeyCreated(keyId, project, user, Role.TENANT_USER, "k",
                        String.format("%064x", keysCreated++), "kq_0000…0000", now, expiry)));
                batch.add(event(aggregate, sequence++,
                        new KeyExtended(keyId, project, user, expiry, expiry.plus(Duration.ofDays(1)))));
                batch.add(event(aggregate, sequence++,
                        new KeyDeleted(keyId, project, user, KeyDeletionReason.BY_OWNER)));
            }
            if (batch.size() >= 5_000) {
                events += append(batch);
            }
        }
        events += append(batch);
        System.out.printf("appended %d events in %.1f s%n", events, (System.nanoTime() - appendStart) / 1e9);

        for (String readModel : List.of("keys", "audit")) {
            long start = System.nanoTime();
            assertThat(api.post("/api/v1/admin/projections/" + readModel + "/replay", OPERATOR, "").status())
                    .isEqualTo(202);
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !replaying(readModel));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("rebuilt %s from %d events in %.1f s: %.0f events/s%n", readModel, events, seconds,
                    events / seconds);
        }
    }

    private boolean replaying(String readModel) {
        Api.Response status = api.get("/api/v1/admin/projections", OPERATOR);
        for (var projection : status.body().path("projections")) {
            if (projection.path("name").asString().equals(readModel)) {
                return projection.path("replaying").asBoolean();
            }
        }
        throw new IllegalStateException("no read model " + readModel);
    }

    private long append(List<EventMessage<?>> batch) {
        int size = batch.size();
        transactions.executeWithoutResult(tx -> storage.appendEvents(batch));
        batch.clear();
        return size;
    }

    private static EventMessage<?> event(String aggregate, long sequence, Object payload) {
        return new GenericDomainEventMessage<>("Membership", aggregate, sequence, payload);
    }
}
