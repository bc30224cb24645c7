package keyquota.domain.membership;

import keyquota.domain.ErrorCode;
import keyquota.domain.Role;
import keyquota.domain.key.AllowedCidrs;
import keyquota.domain.key.CreateKey;
import keyquota.domain.key.DisableKey;
import keyquota.domain.key.EnableKey;
import keyquota.domain.key.KeyDisabled;
import keyquota.domain.key.KeyEnabled;
import keyquota.domain.key.KeyRenamed;
import keyquota.domain.key.KeyRolled;
import keyquota.domain.key.KeyServices;
import keyquota.domain.key.RenameKey;
import keyquota.domain.key.RollKey;
import keyquota.domain.key.DeleteKey;
import keyquota.domain.key.ExtendKey;
import keyquota.domain.key.KeyCreated;
import keyquota.domain.key.KeyDeleted;
import keyquota.domain.key.KeyDeletionReason;
import keyquota.domain.key.KeyExtended;
import keyquota.domain.key.KeyPolicy;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static keyquota.domain.Rejections.invalidValue;
import static keyquota.domain.Rejections.rejectedWith;
import static keyquota.domain.key.KeyDeletionReason.BY_OWNER;
import static keyquota.domain.key.KeyDeletionReason.BY_TENANT_ADMIN;
import static keyquota.domain.key.KeyDeletionReason.MEMBERSHIP_ENDED;
import static keyquota.domain.key.KeyDeletionReason.ROLE_CHANGED;
import static keyquota.domain.Role.TENANT_ADMIN;
import static keyquota.domain.Role.TENANT_USER;

class MembershipTest {

    private static final String PROJECT = "GOV108001";
    private static final String USER = "alice";
    private static final Instant CLOCK_TIME = Instant.parse("2026-06-01T08:00:00.750Z");
    private static final Instant NOW = Instant.parse("2026-06-01T08:00:00Z");
    private static final Instant JOINED_AT = NOW.minus(Duration.ofDays(100));
    private static final KeyPolicy POLICY = new KeyPolicy(30, 365, 5, 730);

    private FixtureConfiguration<Membership> fixture;

    @BeforeEach
    void setUp() {
        fixture = fixtureWith(POLICY);
    }

    private static FixtureConfiguration<Membership> fixtureWith(KeyPolicy policy) {
        FixtureConfiguration<Membership> fixture = new AggregateTestFixture<>(Membership.class);
        fixture.registerInjectableResource(Clock.fixed(CLOCK_TIME, ZoneOffset.UTC));
        fixture.registerInjectableResource(policy);
        return fixture;
    }

    private static MemberJoined joined(Role role) {
        return new MemberJoined(PROJECT, USER, role, JOINED_AT);
    }

    private static KeyCreated keyCreated(UUID keyId, Instant createdAt, int validDays) {
        return new KeyCreated(keyId, PROJECT, USER, TENANT_USER, "laptop", "hash-" + keyId, "kq_Ab1…xY9z",
                createdAt, createdAt.plus(Duration.ofDays(validDays)), null, null);
    }

    private static KeyCreated activeKey(UUID keyId) {
        return keyCreated(keyId, NOW.minus(Duration.ofDays(10)), 30);
    }

    private static KeyCreated expiredKey(UUID keyId) {
        return keyCreated(keyId, NOW.minus(Duration.ofDays(40)), 30);
    }

    private static KeyDeleted keyDeleted(UUID keyId, KeyDeletionReason reason) {
        return new KeyDeleted(keyId, PROJECT, USER, reason);
    }

    private static CreateKey createKey(UUID keyId, int validDays) {
        return new CreateKey(PROJECT, USER, keyId, "laptop", "hash-" + keyId, "kq_Ab1…xY9z", validDays, null, null);
    }

    private static ExtendKey extendKey(UUID keyId, int days) {
        return new ExtendKey(PROJECT, USER, keyId, days);
    }

    private static List<Object> history(Object... events) {
        return new ArrayList<>(List.of(events));
    }

    @Nested
    class Joining {

        @Test
        void settingARoleOnANewMembershipMakesTheUserJoin() {
            fixture.givenNoPriorActivity()
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new MemberJoined(PROJECT, USER, TENANT_USER, NOW));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a/b", "a:b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "späť"})
        void aUserIdOfAnotherShapeCannotJoin(String userId) {
            fixture.givenNoPriorActivity()
                    .when(new SetMemberRole(PROJECT, userId, TENANT_USER))
                    .expectException(invalidValue("userId"))
                    .expectNoEvents();
        }

        @Test
        void settingTheSameRoleAgainChangesNothing() {
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aRemovedMemberRejoinsWithANewJoinTime() {
            fixture.given(joined(TENANT_ADMIN), new MemberRemoved(PROJECT, USER, TENANT_ADMIN))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER))
                    .expectEvents(new MemberJoined(PROJECT, USER, TENANT_USER, NOW));
        }

        @Test
        void aRemovedMemberRejoiningWithTheFormerRoleJoinsAgain() {
            fixture.given(joined(TENANT_USER), new MemberRemoved(PROJECT, USER, TENANT_USER))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER))
                    .expectEvents(new MemberJoined(PROJECT, USER, TENANT_USER, NOW));
        }

        @Test
        void aRejoinedMemberStartsWithoutTheirFormerKeys() {
            List<Object> history = history(joined(TENANT_USER));
            for (int i = 0; i < 5; i++) {
                UUID keyId = UUID.randomUUID();
                history.add(activeKey(keyId));
                history.add(keyDeleted(keyId, MEMBERSHIP_ENDED));
            }
            history.add(new MemberRemoved(PROJECT, USER, TENANT_USER));
            history.add(new MemberJoined(PROJECT, USER, TENANT_USER, NOW.minus(Duration.ofDays(1))));
            UUID keyId = UUID.randomUUID();

            fixture.given(history)
                    .when(createKey(keyId, 30))
                    .expectEvents(keyCreated(keyId, NOW, 30));
        }
    }

    @Nested
    class ChangingTheRole {

        @Test
        void aRoleChangeDeletesEveryKeyOfTheOldRoleThenChangesTheRole() {
            UUID active = UUID.randomUUID();
            UUID expired = UUID.randomUUID();
            UUID deleted = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(active), expiredKey(expired), activeKey(deleted),
                            keyDeleted(deleted, BY_OWNER))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_ADMIN))
                    .expectEvents(keyDeleted(active, ROLE_CHANGED), keyDeleted(expired, ROLE_CHANGED),
                            new MemberRoleChanged(PROJECT, USER, TENANT_USER, TENANT_ADMIN));
        }

        @Test
        void aRoleChangeWithoutKeysOnlyChangesTheRole() {
            fixture.given(joined(TENANT_ADMIN))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER))
                    .expectEvents(new MemberRoleChanged(PROJECT, USER, TENANT_ADMIN, TENANT_USER));
        }

        @Test
        void keysCreatedAfterARoleChangeCarryTheNewRole() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), new MemberRoleChanged(PROJECT, USER, TENANT_USER, TENANT_ADMIN))
                    .when(createKey(keyId, 7))
                    .expectEvents(new KeyCreated(keyId, PROJECT, USER, TENANT_ADMIN, "laptop", "hash-" + keyId,
                            "kq_Ab1…xY9z", NOW, NOW.plus(Duration.ofDays(7)), null, null));
        }

        @Test
        void keysDeletedByARoleChangeCanNoLongerBeExtended() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDeleted(keyId, ROLE_CHANGED),
                            new MemberRoleChanged(PROJECT, USER, TENANT_USER, TENANT_ADMIN))
                    .when(extendKey(keyId, 10))
                    .expectException(rejectedWith(ErrorCode.KEY_NOT_FOUND))
                    .expectNoEvents();
        }
    }

    @Nested
    class Removing {

        @Test
        void removingAMemberDeletesEveryKeyThenRemovesThem() {
            UUID active = UUID.randomUUID();
            UUID expired = UUID.randomUUID();
            UUID deleted = UUID.randomUUID();
            fixture.given(joined(TENANT_ADMIN), activeKey(active), activeKey(deleted), expiredKey(expired),
                            keyDeleted(deleted, BY_TENANT_ADMIN))
                    .when(new RemoveMember(PROJECT, USER))
                    .expectEvents(keyDeleted(active, MEMBERSHIP_ENDED), keyDeleted(expired, MEMBERSHIP_ENDED),
                            new MemberRemoved(PROJECT, USER, TENANT_ADMIN));
        }

        @Test
        void removingAMemberWithoutKeysOnlyRemovesThem() {
            fixture.given(joined(TENANT_USER))
                    .when(new RemoveMember(PROJECT, USER))
                    .expectEvents(new MemberRemoved(PROJECT, USER, TENANT_USER));
        }

        @Test
        void removingSomeoneWhoIsNoLongerAMemberIsRefused() {
            fixture.given(joined(TENANT_USER), new MemberRemoved(PROJECT, USER, TENANT_USER))
                    .when(new RemoveMember(PROJECT, USER))
                    .expectException(rejectedWith(ErrorCode.MEMBER_NOT_FOUND))
                    .expectNoEvents();
        }
    }

    @Nested
    class CreatingKeys {

        @Test
        void aKeyExpiresItsValidDaysAfterItIsCreated() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER))
                    .when(createKey(keyId, 30))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new KeyCreated(keyId, PROJECT, USER, TENANT_USER, "laptop", "hash-" + keyId,
                            "kq_Ab1…xY9z", NOW, Instant.parse("2026-07-01T08:00:00Z"), null, null));
        }

        @Test
        void aKeyMayBeValidForOneDay() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER))
                    .when(createKey(keyId, 1))
                    .expectEvents(new KeyCreated(keyId, PROJECT, USER, TENANT_USER, "laptop", "hash-" + keyId,
                            "kq_Ab1…xY9z", NOW, Instant.parse("2026-06-02T08:00:00Z"), null, null));
        }

        @Test
        void aKeyMayBeValidForTheMaximumValidity() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER))
                    .when(createKey(keyId, 365))
                    .expectEvents(new KeyCreated(keyId, PROJECT, USER, TENANT_USER, "laptop", "hash-" + keyId,
                            "kq_Ab1…xY9z", NOW, Instant.parse("2027-06-01T08:00:00Z"), null, null));
        }

        @Test
        void aValidityOfZeroDaysIsInvalid() {
            fixture.given(joined(TENANT_USER))
                    .when(createKey(UUID.randomUUID(), 0))
                    .expectException(invalidValue("validDays"))
                    .expectNoEvents();
        }

        @Test
        void aValidityBeyondTheMaximumIsInvalid() {
            fixture.given(joined(TENANT_USER))
                    .when(createKey(UUID.randomUUID(), 366))
                    .expectException(invalidValue("validDays"))
                    .expectNoEvents();
        }

        @Test
        void aFormerMemberCannotCreateKeys() {
            fixture.given(joined(TENANT_USER), new MemberRemoved(PROJECT, USER, TENANT_USER))
                    .when(createKey(UUID.randomUUID(), 30))
                    .expectException(rejectedWith(ErrorCode.MEMBER_NOT_FOUND))
                    .expectNoEvents();
        }

        @Test
        void theSixthActiveKeyIsRefused() {
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()))
                    .when(createKey(UUID.randomUUID(), 30))
                    .expectException(rejectedWith(ErrorCode.KEY_LIMIT_REACHED))
                    .expectNoEvents();
        }

        @Test
        void theFifthActiveKeyIsAllowed() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()))
                    .when(createKey(keyId, 30))
                    .expectEvents(keyCreated(keyId, NOW, 30));
        }

        @Test
        void expiredKeysDoNotCountTowardsTheLimit() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()), expiredKey(UUID.randomUUID()))
                    .when(createKey(keyId, 30))
                    .expectEvents(keyCreated(keyId, NOW, 30));
        }

        @Test
        void aKeyExpiringThisVerySecondDoesNotCountTowardsTheLimit() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            keyCreated(UUID.randomUUID(), NOW.minus(Duration.ofDays(30)), 30))
                    .when(createKey(keyId, 30))
                    .expectEvents(keyCreated(keyId, NOW, 30));
        }

        @Test
        void deletedKeysDoNotCountTowardsTheLimit() {
            UUID deleted = UUID.randomUUID();
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()), activeKey(deleted),
                            keyDeleted(deleted, BY_OWNER))
                    .when(createKey(keyId, 30))
                    .expectEvents(keyCreated(keyId, NOW, 30));
        }

        @Test
        void anExpiredKeyThatWasExtendedCountsByItsNewExpiry() {
            UUID extended = UUID.randomUUID();
            KeyCreated created = keyCreated(extended, NOW.minus(Duration.ofDays(40)), 30);
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()), created,
                            new KeyExtended(extended, PROJECT, USER, created.expiresAt(),
                                    created.expiresAt().plus(Duration.ofDays(30))))
                    .when(createKey(UUID.randomUUID(), 30))
                    .expectException(rejectedWith(ErrorCode.KEY_LIMIT_REACHED))
                    .expectNoEvents();
        }

        @Test
        void theKeyLimitFollowsThePolicy() {
            fixtureWith(new KeyPolicy(7, 90, 2, 180))
                    .given(joined(TENANT_USER), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()))
                    .when(createKey(UUID.randomUUID(), 30))
                    .expectException(rejectedWith(ErrorCode.KEY_LIMIT_REACHED))
                    .expectNoEvents();
        }

        @Test
        void theMaximumValidityFollowsThePolicy() {
            fixtureWith(new KeyPolicy(7, 90, 2, 180))
                    .given(joined(TENANT_USER))
                    .when(createKey(UUID.randomUUID(), 91))
                    .expectException(invalidValue("validDays"))
                    .expectNoEvents();
        }
    }

    @Nested
    class ExtendingKeys {

        @Test
        void anExtensionAddsItsDaysToTheCurrentExpiry() {
            UUID keyId = UUID.randomUUID();
            Instant oldExpiry = NOW.plus(Duration.ofDays(20));
            Instant newExpiry = NOW.plus(Duration.ofDays(50));
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(extendKey(keyId, 30))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new KeyExtended(keyId, PROJECT, USER, oldExpiry, newExpiry))
                    .expectResultMessagePayload(newExpiry);
        }

        @Test
        void aSecondExtensionStartsFromTheExtendedExpiry() {
            UUID keyId = UUID.randomUUID();
            Instant firstExpiry = NOW.plus(Duration.ofDays(20));
            Instant secondExpiry = NOW.plus(Duration.ofDays(25));
            Instant thirdExpiry = NOW.plus(Duration.ofDays(35));
            fixture.given(joined(TENANT_USER), activeKey(keyId),
                            new KeyExtended(keyId, PROJECT, USER, firstExpiry, secondExpiry))
                    .when(extendKey(keyId, 10))
                    .expectEvents(new KeyExtended(keyId, PROJECT, USER, secondExpiry, thirdExpiry))
                    .expectResultMessagePayload(thirdExpiry);
        }

        @Test
        void anExpiredKeyCannotBeExtended() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), expiredKey(keyId))
                    .when(extendKey(keyId, 30))
                    .expectException(rejectedWith(ErrorCode.KEY_EXPIRED))
                    .expectNoEvents();
        }

        @Test
        void aKeyExpiringThisVerySecondCannotBeExtended() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), keyCreated(keyId, NOW.minus(Duration.ofDays(30)), 30))
                    .when(extendKey(keyId, 30))
                    .expectException(rejectedWith(ErrorCode.KEY_EXPIRED))
                    .expectNoEvents();
        }

        @Test
        void anExpiryExactlyAtTheLimitIsAllowed() {
            UUID keyId = UUID.randomUUID();
            Instant oldExpiry = NOW.plus(Duration.ofDays(365));
            Instant limit = NOW.plus(Duration.ofDays(730));
            fixture.given(joined(TENANT_USER), keyCreated(keyId, NOW, 365))
                    .when(extendKey(keyId, 365))
                    .expectEvents(new KeyExtended(keyId, PROJECT, USER, oldExpiry, limit))
                    .expectResultMessagePayload(limit);
        }

        @Test
        void anExpiryBeyondTheLimitIsRefused() {
            UUID keyId = UUID.randomUUID();
            Instant created = NOW.minus(Duration.ofDays(1));
            KeyCreated key = keyCreated(keyId, created, 365);
            fixture.given(joined(TENANT_USER), key,
                            new KeyExtended(keyId, PROJECT, USER, key.expiresAt(), NOW.plus(Duration.ofDays(729))))
                    .when(extendKey(keyId, 2))
                    .expectException(rejectedWith(ErrorCode.EXPIRY_TOO_FAR))
                    .expectNoEvents();
        }

        @Test
        void theExpiryLimitFollowsThePolicy() {
            UUID keyId = UUID.randomUUID();
            fixtureWith(new KeyPolicy(7, 90, 2, 100))
                    .given(joined(TENANT_USER), keyCreated(keyId, NOW, 90))
                    .when(extendKey(keyId, 11))
                    .expectException(rejectedWith(ErrorCode.EXPIRY_TOO_FAR))
                    .expectNoEvents();
        }

        @Test
        void anUnknownKeyCannotBeExtended() {
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()))
                    .when(extendKey(UUID.randomUUID(), 30))
                    .expectException(rejectedWith(ErrorCode.KEY_NOT_FOUND))
                    .expectNoEvents();
        }

        @Test
        void aDeletedKeyCannotBeExtended() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDeleted(keyId, BY_OWNER))
                    .when(extendKey(keyId, 30))
                    .expectException(rejectedWith(ErrorCode.KEY_NOT_FOUND))
                    .expectNoEvents();
        }

        @Test
        void anExtensionOfZeroDaysIsInvalid() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(extendKey(keyId, 0))
                    .expectException(invalidValue("days"))
                    .expectNoEvents();
        }

        @Test
        void anExtensionBeyondTheMaximumValidityIsInvalid() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(extendKey(keyId, 366))
                    .expectException(invalidValue("days"))
                    .expectNoEvents();
        }
    }

    @Nested
    class DeletingKeys {

        @Test
        void deletingAKeyRecordsTheReason() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(new DeleteKey(PROJECT, USER, keyId, BY_TENANT_ADMIN))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(keyDeleted(keyId, BY_TENANT_ADMIN));
        }

        @Test
        void anExpiredKeyCanBeDeleted() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), expiredKey(keyId))
                    .when(new DeleteKey(PROJECT, USER, keyId, BY_OWNER))
                    .expectEvents(keyDeleted(keyId, BY_OWNER));
        }

        @Test
        void deletingAKeyTwiceIsRefused() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDeleted(keyId, BY_OWNER))
                    .when(new DeleteKey(PROJECT, USER, keyId, BY_OWNER))
                    .expectException(rejectedWith(ErrorCode.KEY_NOT_FOUND))
                    .expectNoEvents();
        }

        @Test
        void deletingAnUnknownKeyIsRefused() {
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()))
                    .when(new DeleteKey(PROJECT, USER, UUID.randomUUID(), BY_OWNER))
                    .expectException(rejectedWith(ErrorCode.KEY_NOT_FOUND))
                    .expectNoEvents();
        }
    }

    private static KeyDisabled keyDisabled(UUID keyId) {
        return new KeyDisabled(keyId, PROJECT, USER);
    }

    private static RollKey rollKey(UUID keyId, UUID newKeyId, int graceHours) {
        return new RollKey(PROJECT, USER, keyId, newKeyId, "hash-" + newKeyId, "kq_New…Key1", graceHours);
    }

    @Nested
    class CreatingScopedKeys {

        @Test
        void theScopesAreRecordedWithTheKey() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER))
                    .when(new CreateKey(PROJECT, USER, keyId, "laptop", "hash-" + keyId, "kq_Ab1…xY9z", 30,
                            new KeyServices(List.of("CCS")), new AllowedCidrs(List.of("140.110.0.0/16"))))
                    .expectEvents(new KeyCreated(keyId, PROJECT, USER, TENANT_USER, "laptop", "hash-" + keyId,
                            "kq_Ab1…xY9z", NOW, NOW.plus(Duration.ofDays(30)), List.of("CCS"),
                            List.of("140.110.0.0/16")));
        }
    }

    @Nested
    class RenamingKeys {

        @Test
        void aKeyGetsItsNewName() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(new RenameKey(PROJECT, USER, keyId, "desktop"))
                    .expectEvents(new KeyRenamed(keyId, PROJECT, USER, "laptop", "desktop"));
        }

        @Test
        void theSameNameAgainChangesNothing() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(new RenameKey(PROJECT, USER, keyId, "laptop"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anExpiredOrDisabledKeyMayBeRenamed() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), expiredKey(keyId), keyDisabled(keyId))
                    .when(new RenameKey(PROJECT, USER, keyId, null))
                    .expectEvents(new KeyRenamed(keyId, PROJECT, USER, "laptop", null));
        }

        @Test
        void aDeletedKeyIsNotFound() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDeleted(keyId, BY_OWNER))
                    .when(new RenameKey(PROJECT, USER, keyId, "desktop"))
                    .expectException(rejectedWith(ErrorCode.KEY_NOT_FOUND))
                    .expectNoEvents();
        }
    }

    @Nested
    class DisablingAndEnablingKeys {

        @Test
        void aKeyIsDisabledAndEnabledAgain() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(new DisableKey(PROJECT, USER, keyId))
                    .expectEvents(keyDisabled(keyId));
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDisabled(keyId))
                    .when(new EnableKey(PROJECT, USER, keyId))
                    .expectEvents(new KeyEnabled(keyId, PROJECT, USER));
        }

        @Test
        void disablingADisabledKeyOrEnablingAnEnabledOneChangesNothing() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDisabled(keyId))
                    .when(new DisableKey(PROJECT, USER, keyId))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(new EnableKey(PROJECT, USER, keyId))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anExpiredKeyCannotBeEnabled() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), expiredKey(keyId), keyDisabled(keyId))
                    .when(new EnableKey(PROJECT, USER, keyId))
                    .expectException(rejectedWith(ErrorCode.KEY_EXPIRED))
                    .expectNoEvents();
        }

        @Test
        void aDisabledKeyStillCountsTowardTheLimit() {
            UUID disabled = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()), activeKey(disabled),
                            keyDisabled(disabled))
                    .when(createKey(UUID.randomUUID(), 30))
                    .expectException(rejectedWith(ErrorCode.KEY_LIMIT_REACHED))
                    .expectNoEvents();
        }

        @Test
        void aDisabledKeyCannotBeExtended() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDisabled(keyId))
                    .when(extendKey(keyId, 10))
                    .expectException(rejectedWith(ErrorCode.KEY_DISABLED))
                    .expectNoEvents();
        }

        @Test
        void anExpiredAndDisabledKeyIsRefusedAsExpiredFirst() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), expiredKey(keyId), keyDisabled(keyId))
                    .when(extendKey(keyId, 10))
                    .expectException(rejectedWith(ErrorCode.KEY_EXPIRED))
                    .expectNoEvents();
        }
    }

    @Nested
    class RollingKeys {

        private final UUID keyId = UUID.randomUUID();
        private final UUID newKeyId = UUID.randomUUID();

        @Test
        void theNewKeyTakesTheOldOnesPlaceAndTheOldOneWorksThroughItsGrace() {
            KeyCreated old = new KeyCreated(keyId, PROJECT, USER, TENANT_USER, "laptop", "hash-" + keyId,
                    "kq_Ab1…xY9z", NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(20)), List.of("VCS"),
                    List.of("10.0.0.0/8"));
            fixture.given(joined(TENANT_USER), old, new KeyRenamed(keyId, PROJECT, USER, "laptop", "ci"))
                    .when(rollKey(keyId, newKeyId, 24))
                    .expectEvents(new KeyRolled(keyId, PROJECT, USER, newKeyId, old.expiresAt(),
                                    NOW.plus(Duration.ofHours(24))),
                            new KeyCreated(newKeyId, PROJECT, USER, TENANT_USER, "ci", "hash-" + newKeyId,
                                    "kq_New…Key1", NOW, old.expiresAt(), List.of("VCS"), List.of("10.0.0.0/8")));
        }

        @Test
        void theGraceNeverOutlastsTheOldKey() {
            KeyCreated old = keyCreated(keyId, NOW.minus(Duration.ofDays(30)).plus(Duration.ofHours(2)), 30);
            fixture.given(joined(TENANT_USER), old)
                    .when(rollKey(keyId, newKeyId, 24))
                    .expectEvents(new KeyRolled(keyId, PROJECT, USER, newKeyId, old.expiresAt(), old.expiresAt()),
                            new KeyCreated(newKeyId, PROJECT, USER, TENANT_USER, "laptop", "hash-" + newKeyId,
                                    "kq_New…Key1", NOW, old.expiresAt(), null, null));
        }

        @Test
        void noGraceEndsTheOldKeyAtOnce() {
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(rollKey(keyId, newKeyId, 0))
                    .expectEvents(new KeyRolled(keyId, PROJECT, USER, newKeyId, NOW.plus(Duration.ofDays(20)), NOW),
                            new KeyCreated(newKeyId, PROJECT, USER, TENANT_USER, "laptop", "hash-" + newKeyId,
                                    "kq_New…Key1", NOW, NOW.plus(Duration.ofDays(20)), null, null));
        }

        @Test
        void rollingNeverHitsTheKeyLimit() {
            fixture.given(joined(TENANT_USER), activeKey(keyId), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()))
                    .when(rollKey(keyId, newKeyId, 24))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void aRolledKeyNoLongerCountsTowardTheLimit() {
            fixture.given(joined(TENANT_USER), activeKey(keyId), activeKey(UUID.randomUUID()),
                            activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()), activeKey(UUID.randomUUID()),
                            new KeyRolled(keyId, PROJECT, USER, newKeyId, NOW.plus(Duration.ofDays(20)),
                                    NOW.plus(Duration.ofHours(24))))
                    .when(createKey(UUID.randomUUID(), 30))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void aKeyIsRolledOnlyOnce() {
            fixture.given(joined(TENANT_USER), activeKey(keyId), new KeyRolled(keyId, PROJECT, USER, newKeyId,
                            NOW.plus(Duration.ofDays(20)), NOW.plus(Duration.ofHours(24))))
                    .when(rollKey(keyId, UUID.randomUUID(), 24))
                    .expectException(rejectedWith(ErrorCode.KEY_ROLLED))
                    .expectNoEvents();
        }

        @Test
        void aRolledKeyCannotBeExtended() {
            fixture.given(joined(TENANT_USER), activeKey(keyId), new KeyRolled(keyId, PROJECT, USER, newKeyId,
                            NOW.plus(Duration.ofDays(20)), NOW.plus(Duration.ofHours(24))))
                    .when(extendKey(keyId, 5))
                    .expectException(rejectedWith(ErrorCode.KEY_ROLLED))
                    .expectNoEvents();
        }

        @Test
        void expiredAndDisabledKeysAreNotRolledInTheContractsOrder() {
            fixture.given(joined(TENANT_USER), expiredKey(keyId), keyDisabled(keyId))
                    .when(rollKey(keyId, newKeyId, 24))
                    .expectException(rejectedWith(ErrorCode.KEY_EXPIRED))
                    .expectNoEvents();
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDisabled(keyId))
                    .when(rollKey(keyId, newKeyId, 24))
                    .expectException(rejectedWith(ErrorCode.KEY_DISABLED))
                    .expectNoEvents();
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 169})
        void aGraceOutside0To168HoursIsInvalid(int graceHours) {
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(rollKey(keyId, newKeyId, graceHours))
                    .expectException(invalidValue("graceHours"))
                    .expectNoEvents();
        }

        @Test
        void aDeletedKeyIsNotFound() {
            fixture.given(joined(TENANT_USER), activeKey(keyId), keyDeleted(keyId, BY_OWNER))
                    .when(rollKey(keyId, newKeyId, 24))
                    .expectException(rejectedWith(ErrorCode.KEY_NOT_FOUND))
                    .expectNoEvents();
        }
    }

    @Nested
    class Emails {

        @Test
        void aMemberJoinsWithAnEmailAndChangesIt() {
            fixture.givenNoPriorActivity()
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER, "alice@example.org"))
                    .expectEvents(new MemberJoined(PROJECT, USER, TENANT_USER, NOW, "alice@example.org"));
            fixture.given(new MemberJoined(PROJECT, USER, TENANT_USER, JOINED_AT, "alice@example.org"))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER, "alice@nchc.org.tw"))
                    .expectEvents(new MemberEmailChanged(PROJECT, USER, "alice@example.org", "alice@nchc.org.tw"));
        }

        @Test
        void noEmailOrTheSameLeavesItAsItIs() {
            fixture.given(new MemberJoined(PROJECT, USER, TENANT_USER, JOINED_AT, "alice@example.org"))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER, "alice@example.org"))
                    .expectNoEvents();
            fixture.given(new MemberJoined(PROJECT, USER, TENANT_USER, JOINED_AT, "alice@example.org"))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_USER))
                    .expectNoEvents();
        }

        @Test
        void aRoleAndAnEmailChangedAtOnce() {
            UUID keyId = UUID.randomUUID();
            fixture.given(joined(TENANT_USER), activeKey(keyId))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_ADMIN, "alice@example.org"))
                    .expectEvents(keyDeleted(keyId, ROLE_CHANGED),
                            new MemberRoleChanged(PROJECT, USER, TENANT_USER, TENANT_ADMIN),
                            new MemberEmailChanged(PROJECT, USER, null, "alice@example.org"));
        }

        @Test
        void aMemberWhoRejoinsKeepsTheirEmail() {
            fixture.given(new MemberJoined(PROJECT, USER, TENANT_USER, JOINED_AT, "alice@example.org"),
                            new MemberRemoved(PROJECT, USER, TENANT_USER))
                    .when(new SetMemberRole(PROJECT, USER, TENANT_ADMIN))
                    .expectEvents(new MemberJoined(PROJECT, USER, TENANT_ADMIN, NOW, "alice@example.org"));
        }
    }
}
