package keyquota.domain.quota;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static keyquota.domain.Rejections.invalidValue;
import static keyquota.domain.Rejections.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The quota rules of the contract ("Resource quotas"), one aggregate per project and service. Every rejection
 * is checked for its exact code (and details) and for changing nothing.
 */
class ProjectQuotaTest {

    private static final String PROJECT = "GOV108001";
    private static final String CCS = "CCS";
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    private static final long UNLIMITED = -1;

    private AggregateTestFixture<ProjectQuota> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ProjectQuota.class);
        fixture.registerInjectableResource(ServiceCatalog.TWCC);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Nested
    class SettingTheProjectQuota {

        @Test
        void aFirstQuotaRecordsTheOldAndNewQuotaOfEveryResource() {
            fixture.givenNoPriorActivity()
                    .when(setProject(Map.of("cpu", 10L)))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ProjectQuotaSet(PROJECT, CCS, ccs(0, 0, 0), ccs(10, 0, 0), false))
                    .expectResultMessagePayload(new QuotaDecision(ccs(10, 0, 0),
                            ranges(range(0, UNLIMITED), range(0, UNLIMITED), range(0, UNLIMITED))));
        }

        @Test
        void aBodyNamingSomeResourcesKeepsTheOthers() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(setProject(Map.of("gpu", 4L, "memory", 128L)))
                    .expectEvents(new ProjectQuotaSet(PROJECT, CCS, ccs(10, 2, 64), ccs(10, 4, 128), false));
        }

        @Test
        void theSameValuesAgainChangeNothing() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(setProject(Map.of("cpu", 10L, "gpu", 2L)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(new QuotaDecision(ccs(10, 2, 64),
                            ranges(range(0, UNLIMITED), range(0, UNLIMITED), range(0, UNLIMITED))));
        }

        @Test
        void theDefaultZeroOnANewProjectChangesNothing() {
            fixture.givenNoPriorActivity()
                    .when(setProject(Map.of("cpu", 0L)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void minusOneIsUnlimited() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(setProject(Map.of("cpu", UNLIMITED)))
                    .expectEvents(new ProjectQuotaSet(PROJECT, CCS, ccs(10, 2, 64), ccs(UNLIMITED, 2, 64), false));
        }

        @Test
        void theOtherServiceHasItsOwnResources() {
            fixture.givenNoPriorActivity()
                    .when(new SetProjectQuota(PROJECT, "VCS", Map.of("floating_ip", 2L), false, false))
                    .expectEvents(new ProjectQuotaSet(PROJECT, "VCS", vcs(0, 0, 0, 0), vcs(0, 0, 0, 2), false));
        }

        @Test
        void aQuotaBelowTheProjectUsageIsRejected() {
            fixture.given(projectQuota(10, 2, 64), allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0),
                            ccs(6, 0, 0)))
                    .when(setProject(Map.of("cpu", 5L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.QUOTA_BELOW_USAGE, Map.of("resource", "cpu",
                            "usage", 6L,
                            "acceptable", ranges(range(6, UNLIMITED), range(0, UNLIMITED), range(0, UNLIMITED)))));
        }

        @Test
        void aQuotaBelowTheProjectUsageIsSetWithForce() {
            fixture.given(projectQuota(10, 2, 64), allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0),
                            ccs(6, 0, 0)))
                    .when(new SetProjectQuota(PROJECT, CCS, Map.of("cpu", 5L), true, false))
                    .expectEvents(new ProjectQuotaSet(PROJECT, CCS, ccs(10, 2, 64), ccs(5, 2, 64), true));
        }

        @Test
        void aQuotaBelowAMembersQuotaIsRejected() {
            fixture.given(projectQuota(10, 2, 64), memberQuota("alice", ccs(-1, -1, -1), ccs(8, -1, -1)))
                    .when(setProject(Map.of("cpu", 5L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.QUOTA_ABOVE_PROJECT, Map.of("resource", "cpu",
                            "projectQuota", 5L,
                            "acceptable", ranges(range(8, UNLIMITED), range(0, UNLIMITED), range(0, UNLIMITED)))));
        }

        @Test
        void aQuotaBelowAMembersQuotaIsSetWithForce() {
            fixture.given(projectQuota(10, 2, 64), memberQuota("alice", ccs(-1, -1, -1), ccs(8, -1, -1)))
                    .when(new SetProjectQuota(PROJECT, CCS, Map.of("cpu", 5L), true, false))
                    .expectEvents(new ProjectQuotaSet(PROJECT, CCS, ccs(10, 2, 64), ccs(5, 2, 64), true));
        }

        @Test
        void aDryRunChangesNothingAndAnswersTheAcceptableRanges() {
            fixture.given(projectQuota(10, 2, 64), memberQuota("alice", ccs(-1, -1, -1), ccs(8, -1, -1)),
                            allocated("a1", "bob", Map.of("cpu", 6L, "gpu", 1L), ccs(6, 1, 0), ccs(6, 1, 0)))
                    .when(new SetProjectQuota(PROJECT, CCS, Map.of("cpu", 20L), false, true))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(new QuotaDecision(ccs(20, 2, 64),
                            ranges(range(8, UNLIMITED), range(1, UNLIMITED), range(0, UNLIMITED))));
        }

        @Test
        void aDryRunOnANewProjectChangesNothing() {
            fixture.givenNoPriorActivity()
                    .when(new SetProjectQuota(PROJECT, CCS, Map.of("cpu", 20L), false, true))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(new QuotaDecision(ccs(20, 0, 0),
                            ranges(range(0, UNLIMITED), range(0, UNLIMITED), range(0, UNLIMITED))));
        }

        @Test
        void aDryRunChecksEverything() {
            fixture.given(projectQuota(10, 2, 64), allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0),
                            ccs(6, 0, 0)))
                    .when(new SetProjectQuota(PROJECT, CCS, Map.of("cpu", 5L), false, true))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.QUOTA_BELOW_USAGE));
        }

        @Test
        void valuesBelowMinusOneAreInvalid() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(setProject(Map.of("cpu", -2L)))
                    .expectNoEvents()
                    .expectException(invalidValue("quota.cpu"));
        }

        @Test
        void aResourceTheServiceDoesNotHaveIsInvalid() {
            fixture.givenNoPriorActivity()
                    .when(setProject(Map.of("floating_ip", 1L)))
                    .expectNoEvents()
                    .expectException(invalidValue("quota.floating_ip"));
        }

        @Test
        void aQuotaNamingNoResourceIsInvalid() {
            fixture.givenNoPriorActivity()
                    .when(setProject(Map.of()))
                    .expectNoEvents()
                    .expectException(invalidValue("quota"));
        }

        @Test
        void aMissingValueIsInvalid() {
            Map<String, Long> quota = new LinkedHashMap<>();
            quota.put("cpu", null);
            fixture.givenNoPriorActivity()
                    .when(setProject(quota))
                    .expectNoEvents()
                    .expectException(invalidValue("quota.cpu"));
        }

        @Test
        void anUnknownServiceIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(new SetProjectQuota(PROJECT, "XYZ", Map.of("cpu", 1L), false, false))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.SERVICE_NOT_FOUND));
        }
    }

    @Nested
    class SettingAMemberQuota {

        @Test
        void aMemberWithoutAQuotaOfTheirOwnHasMinusOne() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(setMember("alice", Map.of("cpu", 4L)))
                    .expectEvents(new MemberQuotaSet(PROJECT, CCS, "alice", ccs(-1, -1, -1), ccs(4, -1, -1), false))
                    .expectResultMessagePayload(new QuotaDecision(ccs(4, -1, -1),
                            ranges(range(0, 10), range(0, 2), range(0, 64))));
        }

        @Test
        void aBodyNamingSomeResourcesKeepsTheOthers() {
            fixture.given(projectQuota(10, 2, 64), memberQuota("alice", ccs(-1, -1, -1), ccs(4, -1, -1)))
                    .when(setMember("alice", Map.of("gpu", 1L)))
                    .expectEvents(new MemberQuotaSet(PROJECT, CCS, "alice", ccs(4, -1, -1), ccs(4, 1, -1), false));
        }

        @Test
        void theSameValuesAgainChangeNothing() {
            fixture.given(projectQuota(10, 2, 64), memberQuota("alice", ccs(-1, -1, -1), ccs(4, -1, -1)))
                    .when(setMember("alice", Map.of("cpu", 4L)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aMemberQuotaAboveTheProjectQuotaIsRejected() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(setMember("alice", Map.of("cpu", 11L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.QUOTA_ABOVE_PROJECT, Map.of("resource", "cpu",
                            "projectQuota", 10L, "acceptable", ranges(range(0, 10), range(0, 2), range(0, 64)))));
        }

        @Test
        void aMemberQuotaAboveTheProjectQuotaIsRejectedEvenWithForce() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(new SetMemberQuota(PROJECT, CCS, "alice", Map.of("gpu", 3L), true, false))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.QUOTA_ABOVE_PROJECT));
        }

        @Test
        void onANewProjectOnlyZeroFits() {
            fixture.givenNoPriorActivity()
                    .when(setMember("alice", Map.of("cpu", 1L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.QUOTA_ABOVE_PROJECT));
        }

        @Test
        void minusOneRemovesTheMemberCap() {
            fixture.given(projectQuota(10, 2, 64), memberQuota("alice", ccs(-1, -1, -1), ccs(4, -1, -1)))
                    .when(setMember("alice", Map.of("cpu", UNLIMITED)))
                    .expectEvents(new MemberQuotaSet(PROJECT, CCS, "alice", ccs(4, -1, -1), ccs(-1, -1, -1), false));
        }

        @Test
        void underAnUnlimitedProjectQuotaAnyMemberQuotaFits() {
            fixture.given(projectQuota(UNLIMITED, 2, 64))
                    .when(setMember("alice", Map.of("cpu", 1_000L)))
                    .expectEvents(new MemberQuotaSet(PROJECT, CCS, "alice", ccs(-1, -1, -1), ccs(1_000, -1, -1),
                            false));
        }

        @Test
        void aMemberQuotaBelowTheMembersUsageIsRejected() {
            fixture.given(projectQuota(10, 2, 64), allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0),
                            ccs(6, 0, 0)))
                    .when(setMember("alice", Map.of("cpu", 5L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.QUOTA_BELOW_USAGE, Map.of("resource", "cpu",
                            "usage", 6L, "acceptable", ranges(range(6, 10), range(0, 2), range(0, 64)))));
        }

        @Test
        void anotherMembersUsageDoesNotCount() {
            fixture.given(projectQuota(10, 2, 64), allocated("a1", "bob", Map.of("cpu", 6L), ccs(6, 0, 0),
                            ccs(6, 0, 0)))
                    .when(setMember("alice", Map.of("cpu", 1L)))
                    .expectEvents(new MemberQuotaSet(PROJECT, CCS, "alice", ccs(-1, -1, -1), ccs(1, -1, -1), false));
        }

        @Test
        void aMemberQuotaBelowTheMembersUsageIsSetWithForce() {
            fixture.given(projectQuota(10, 2, 64), allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0),
                            ccs(6, 0, 0)))
                    .when(new SetMemberQuota(PROJECT, CCS, "alice", Map.of("cpu", 5L), true, false))
                    .expectEvents(new MemberQuotaSet(PROJECT, CCS, "alice", ccs(-1, -1, -1), ccs(5, -1, -1), true));
        }

        @Test
        void aDryRunChangesNothingAndAnswersFromUsageToTheProjectQuota() {
            fixture.given(projectQuota(10, UNLIMITED, 64), allocated("a1", "alice", Map.of("cpu", 6L, "gpu", 3L),
                            ccs(6, 3, 0), ccs(6, 3, 0)))
                    .when(new SetMemberQuota(PROJECT, CCS, "alice", Map.of("cpu", 8L), false, true))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(new QuotaDecision(ccs(8, -1, -1),
                            ranges(range(6, 10), range(3, UNLIMITED), range(0, 64))));
        }

        @Test
        void aDryRunChecksEverything() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(new SetMemberQuota(PROJECT, CCS, "alice", Map.of("cpu", 11L), false, true))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.QUOTA_ABOVE_PROJECT));
        }

        @Test
        void invalidValuesAreRejected() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(setMember("alice", Map.of("cpu", -2L)))
                    .expectNoEvents()
                    .expectException(invalidValue("quota.cpu"));
        }

        @Test
        void aResourceTheServiceDoesNotHaveIsInvalid() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(setMember("alice", Map.of("floating_ip", 0L)))
                    .expectNoEvents()
                    .expectException(invalidValue("quota.floating_ip"));
        }
    }

    @Nested
    class Allocating {

        @Test
        void anAllocationWithinRoomRecordsTheUsageAfterIt() {
            Map<String, Long> resources = Map.of("cpu", 3L, "memory", 16L);
            fixture.given(projectQuota(10, 2, 64))
                    .when(allocate("a1", "alice", resources))
                    .expectEvents(allocated("a1", "alice", resources, ccs(3, 0, 16), ccs(3, 0, 16)))
                    .expectResultMessagePayload(new AllocationResult(new Allocation("a1", "alice", resources,
                            ccs(3, 0, 16), ccs(3, 0, 16), NOW), false));
        }

        @Test
        void theProjectUsageAddsUpEveryMembersUsageUpToTheQuotaExactly() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)))
                    .when(allocate("a2", "bob", Map.of("cpu", 4L)))
                    .expectEvents(allocated("a2", "bob", Map.of("cpu", 4L), ccs(4, 0, 0), ccs(10, 0, 0),
                            projectCrossed("cpu", 80, 10, 10), projectCrossed("cpu", 100, 10, 10)));
        }

        @Test
        void amountsOfZeroAreAllowedBesideOneAboveZero() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(allocate("a1", "alice", Map.of("cpu", 1L, "gpu", 0L)))
                    .expectEvents(allocated("a1", "alice", Map.of("cpu", 1L, "gpu", 0L), ccs(1, 0, 0),
                            ccs(1, 0, 0)));
        }

        @Test
        void exceedingTheMemberQuotaIsRejectedWithWhatIsAvailable() {
            fixture.given(projectQuota(10, 2, 64), memberQuota("alice", ccs(-1, -1, -1), ccs(4, -1, -1)),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)))
                    .when(allocate("a2", "alice", Map.of("cpu", 2L)))
                    .expectNoEvents()
                    .expectException(exceeded(Scope.MEMBER, "cpu", 2, 1));
        }

        @Test
        void exceedingTheProjectQuotaIsRejectedWithWhatIsAvailable() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)))
                    .when(allocate("a2", "bob", Map.of("cpu", 5L)))
                    .expectNoEvents()
                    .expectException(exceeded(Scope.PROJECT, "cpu", 5, 4));
        }

        @Test
        void oneResourceOverTheQuotaRejectsTheWholeAllocation() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(allocate("a1", "alice", Map.of("cpu", 1L, "gpu", 3L)))
                    .expectNoEvents()
                    .expectException(exceeded(Scope.PROJECT, "gpu", 3, 2));
        }

        @Test
        void aNewProjectHasNoRoom() {
            fixture.givenNoPriorActivity()
                    .when(allocate("a1", "alice", Map.of("cpu", 1L)))
                    .expectNoEvents()
                    .expectException(exceeded(Scope.PROJECT, "cpu", 1, 0));
        }

        @Test
        void anUnlimitedProjectQuotaHasRoomForAnything() {
            fixture.given(projectQuota(UNLIMITED, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 500L), ccs(500, 0, 0), ccs(500, 0, 0)))
                    .when(allocate("a2", "bob", Map.of("cpu", 1_000_000L)))
                    .expectEvents(allocated("a2", "bob", Map.of("cpu", 1_000_000L), ccs(1_000_000, 0, 0),
                            ccs(1_000_500, 0, 0)));
        }

        @Test
        void aHugeRequestDoesNotOverflowPastTheQuota() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 1L), ccs(1, 0, 0), ccs(1, 0, 0)))
                    .when(allocate("a2", "alice", Map.of("cpu", Long.MAX_VALUE)))
                    .expectNoEvents()
                    .expectException(exceeded(Scope.PROJECT, "cpu", Long.MAX_VALUE, 9));
        }

        @Test
        void onlyZeroAmountsAreInvalid() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(allocate("a1", "alice", Map.of("cpu", 0L, "gpu", 0L)))
                    .expectNoEvents()
                    .expectException(invalidValue("resources"));
        }

        @Test
        void noResourcesAreInvalid() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(allocate("a1", "alice", Map.of()))
                    .expectNoEvents()
                    .expectException(invalidValue("resources"));
        }

        @Test
        void negativeAmountsAreInvalid() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(allocate("a1", "alice", Map.of("cpu", 2L, "gpu", -1L)))
                    .expectNoEvents()
                    .expectException(invalidValue("resources.gpu"));
        }

        @Test
        void aResourceTheServiceDoesNotHaveIsInvalid() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(allocate("a1", "alice", Map.of("floating_ip", 1L)))
                    .expectNoEvents()
                    .expectException(invalidValue("resources.floating_ip"));
        }

        @Test
        void theSameAllocationAgainGetsTheFirstAnswerAndCountsOnce() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)),
                            allocated("a2", "bob", Map.of("cpu", 2L), ccs(2, 0, 0), ccs(5, 0, 0)))
                    .when(allocate("a1", "alice", Map.of("cpu", 3L)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(new AllocationResult(new Allocation("a1", "alice",
                            Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0), NOW), true));
        }

        @Test
        void theSameAllocationAgainIsRepeatedEvenWhenTheQuotaIsNowFull() {
            fixture.given(projectQuota(3, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)))
                    .when(allocate("a1", "alice", Map.of("cpu", 3L)))
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(repeated("a1"));
        }

        @Test
        void theSameAllocationIdWithOtherAmountsIsAConflict() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)))
                    .when(allocate("a1", "alice", Map.of("cpu", 4L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.IDEMPOTENCY_CONFLICT));
        }

        @Test
        void theSameAllocationIdForAnotherMemberIsAConflict() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)))
                    .when(allocate("a1", "bob", Map.of("cpu", 3L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.IDEMPOTENCY_CONFLICT));
        }

        @Test
        void afterTheProjectQuotaIsForcedBelowUsageNoAllocationOfThatResourceSucceeds() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)),
                            new ProjectQuotaSet(PROJECT, CCS, ccs(10, 2, 64), ccs(4, 2, 64), true))
                    .when(allocate("a2", "bob", Map.of("cpu", 1L)))
                    .expectNoEvents()
                    .expectException(exceeded(Scope.PROJECT, "cpu", 1, 0));
        }

        @Test
        void afterTheProjectQuotaIsForcedBelowUsageOtherResourcesStillAllocate() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)),
                            new ProjectQuotaSet(PROJECT, CCS, ccs(10, 2, 64), ccs(4, 2, 64), true))
                    .when(allocate("a2", "bob", Map.of("gpu", 1L)))
                    .expectEvents(allocated("a2", "bob", Map.of("gpu", 1L), ccs(0, 1, 0), ccs(6, 1, 0)));
        }

        @Test
        void afterAMemberQuotaIsForcedBelowUsageNoAllocationOfThatResourceSucceeds() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)),
                            new MemberQuotaSet(PROJECT, CCS, "alice", ccs(-1, -1, -1), ccs(2, -1, -1), true))
                    .when(allocate("a2", "alice", Map.of("cpu", 1L)))
                    .expectNoEvents()
                    .expectException(exceeded(Scope.MEMBER, "cpu", 1, 0));
        }

        @Test
        void anUnknownServiceIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(new AllocateUsage(PROJECT, "XYZ", "a1", "alice", Map.of("cpu", 1L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.SERVICE_NOT_FOUND));
        }
    }

    @Nested
    class Releasing {

        @Test
        void aReleaseFreesExactlyWhatWasAllocated() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L, "memory", 16L), ccs(3, 0, 16), ccs(3, 0, 16)),
                            allocated("a2", "bob", Map.of("cpu", 2L), ccs(2, 0, 0), ccs(5, 0, 16)))
                    .when(new ReleaseUsage(PROJECT, CCS, "a1"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new UsageReleased(PROJECT, CCS, "a1", "alice", Map.of("cpu", 3L, "memory", 16L),
                            ccs(0, 0, 0), ccs(2, 0, 0), ReleaseReason.RELEASED));
        }

        @Test
        void aSecondReleaseChangesNothing() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)),
                            released("a1", "alice", Map.of("cpu", 3L), ccs(0, 0, 0), ccs(0, 0, 0)))
                    .when(new ReleaseUsage(PROJECT, CCS, "a1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anUnknownAllocationIsNotFound() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)))
                    .when(new ReleaseUsage(PROJECT, CCS, "a2"))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.ALLOCATION_NOT_FOUND));
        }

        @Test
        void onANewProjectNoAllocationIsFound() {
            fixture.givenNoPriorActivity()
                    .when(new ReleaseUsage(PROJECT, CCS, "a1"))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.ALLOCATION_NOT_FOUND));
        }

        @Test
        void aReleasedAllocationSentAgainGetsTheFirstAnswerAndCountsNothing() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)),
                            released("a1", "alice", Map.of("cpu", 3L), ccs(0, 0, 0), ccs(0, 0, 0)))
                    .when(allocate("a1", "alice", Map.of("cpu", 3L)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(repeated("a1"));
        }

        @Test
        void aReleasedAllocationIdWithAnotherBodyIsStillAConflict() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)),
                            released("a1", "alice", Map.of("cpu", 3L), ccs(0, 0, 0), ccs(0, 0, 0)))
                    .when(allocate("a1", "alice", Map.of("cpu", 1L)))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.IDEMPOTENCY_CONFLICT));
        }

        @Test
        void onlyTheMostRecentReleasesAreRemembered() {
            List<Object> history = new ArrayList<>();
            history.add(projectQuota(UNLIMITED, 2, 64));
            for (int i = 0; i <= ProjectQuota.RELEASED_ALLOCATIONS_REMEMBERED; i++) {
                history.add(allocated("a" + i, "alice", Map.of("cpu", 1L), ccs(1, 0, 0), ccs(1, 0, 0)));
                history.add(released("a" + i, "alice", Map.of("cpu", 1L), ccs(0, 0, 0), ccs(0, 0, 0)));
            }
            fixture.given(history)
                    .when(new ReleaseUsage(PROJECT, CCS, "a0"))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.ALLOCATION_NOT_FOUND));
            fixture.given(history)
                    .when(new ReleaseUsage(PROJECT, CCS, "a1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void releasedRoomCanBeAllocatedAgain() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)),
                            allocated("a2", "bob", Map.of("cpu", 4L), ccs(4, 0, 0), ccs(10, 0, 0)),
                            released("a1", "alice", Map.of("cpu", 6L), ccs(0, 0, 0), ccs(4, 0, 0)))
                    .when(allocate("a3", "alice", Map.of("cpu", 6L)))
                    .expectEvents(allocated("a3", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(10, 0, 0),
                            projectCrossed("cpu", 80, 10, 10), projectCrossed("cpu", 100, 10, 10)));
        }

        @Test
        void aMemberForcedBelowUsageAllocatesAgainOnceUsageFalls() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)),
                            allocated("a2", "alice", Map.of("cpu", 2L), ccs(8, 0, 0), ccs(8, 0, 0)),
                            new MemberQuotaSet(PROJECT, CCS, "alice", ccs(-1, -1, -1), ccs(3, -1, -1), true),
                            released("a1", "alice", Map.of("cpu", 6L), ccs(2, 0, 0), ccs(2, 0, 0)))
                    .when(allocate("a3", "alice", Map.of("cpu", 1L)))
                    .expectEvents(allocated("a3", "alice", Map.of("cpu", 1L), ccs(3, 0, 0), ccs(3, 0, 0),
                            memberCrossed("cpu", 80, 3, 3), memberCrossed("cpu", 100, 3, 3)));
        }
    }

    // ---- commands and events ----------------------------------------------------------------------------------

    private static SetProjectQuota setProject(Map<String, Long> quota) {
        return new SetProjectQuota(PROJECT, CCS, quota, false, false);
    }

    private static SetMemberQuota setMember(String userId, Map<String, Long> quota) {
        return new SetMemberQuota(PROJECT, CCS, userId, quota, false, false);
    }

    @Nested
    class Alerting {

        @Test
        void thresholdsAreSetAsDistinctPercentagesInAscendingOrder() {
            fixture.givenNoPriorActivity()
                    .when(new SetAlertThresholds(PROJECT, CCS, List.of(90, 50, 75)))
                    .expectEvents(new AlertThresholdsSet(PROJECT, CCS, List.of(80, 100), List.of(50, 75, 90)));
        }

        @Test
        void settingTheSameThresholdsAgainChangesNothing() {
            fixture.given(new AlertThresholdsSet(PROJECT, CCS, List.of(80, 100), List.of(50)))
                    .when(new SetAlertThresholds(PROJECT, CCS, List.of(50)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void theDefaultThresholdsSetAgainChangeNothing() {
            fixture.givenNoPriorActivity()
                    .when(new SetAlertThresholds(PROJECT, CCS, List.of(100, 80)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void thresholdsAreOneToFiveDistinctPercentagesFromOneToOneHundred() {
            for (List<Integer> wrong : List.of(List.<Integer>of(), List.of(10, 20, 30, 40, 50, 60), List.of(0),
                    List.of(101), List.of(-5), List.of(80, 80))) {
                fixture.givenNoPriorActivity()
                        .when(new SetAlertThresholds(PROJECT, CCS, wrong))
                        .expectException(invalidValue("thresholds"))
                        .expectNoEvents();
            }
        }

        @Test
        void anUnknownServiceIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new SetAlertThresholds(PROJECT, "HPC", List.of(80)))
                    .expectException(rejectedWith(ErrorCode.SERVICE_NOT_FOUND));
        }

        @Test
        void usageReachingAThresholdFromBelowCrossesIt() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(allocate("a1", "alice", Map.of("cpu", 8L)))
                    .expectEvents(allocated("a1", "alice", Map.of("cpu", 8L), ccs(8, 0, 0), ccs(8, 0, 0),
                            projectCrossed("cpu", 80, 8, 10)));
        }

        @Test
        void usageStayingAboveAThresholdCrossesItNoMore() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 8L), ccs(8, 0, 0), ccs(8, 0, 0)))
                    .when(allocate("a2", "alice", Map.of("cpu", 1L)))
                    .expectEvents(allocated("a2", "alice", Map.of("cpu", 1L), ccs(9, 0, 0), ccs(9, 0, 0)));
        }

        @Test
        void usageThatFellBelowCrossesItAgain() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 8L), ccs(8, 0, 0), ccs(8, 0, 0)),
                            released("a1", "alice", Map.of("cpu", 8L), ccs(0, 0, 0), ccs(0, 0, 0)),
                            allocated("a2", "alice", Map.of("cpu", 7L), ccs(7, 0, 0), ccs(7, 0, 0)))
                    .when(allocate("a3", "alice", Map.of("cpu", 1L)))
                    .expectEvents(allocated("a3", "alice", Map.of("cpu", 1L), ccs(8, 0, 0), ccs(8, 0, 0),
                            projectCrossed("cpu", 80, 8, 10)));
        }

        @Test
        void aMemberQuotaHasThresholdsOfItsOwnBesideTheProjects() {
            fixture.given(projectQuota(100, 8, 640),
                            new MemberQuotaSet(PROJECT, CCS, "alice", ccs(-1, -1, -1), ccs(-1, 4, -1), false))
                    .when(allocate("a1", "alice", Map.of("gpu", 4L)))
                    .expectEvents(allocated("a1", "alice", Map.of("gpu", 4L), ccs(0, 4, 0), ccs(0, 4, 0),
                            memberCrossed("gpu", 80, 4, 4), memberCrossed("gpu", 100, 4, 4)));
        }

        @Test
        void anUnlimitedMemberQuotaHasNoThresholds() {
            fixture.given(projectQuota(-1, 8, 640))
                    .when(allocate("a1", "alice", Map.of("cpu", 1_000L, "gpu", 7L)))
                    .expectEvents(allocated("a1", "alice", Map.of("cpu", 1_000L, "gpu", 7L), ccs(1_000, 7, 0),
                            ccs(1_000, 7, 0), projectCrossed("gpu", 80, 7, 8)));
        }

        @Test
        void theThresholdsSetAreTheOnesThatCross() {
            fixture.given(projectQuota(10, 2, 64),
                            new AlertThresholdsSet(PROJECT, CCS, List.of(80, 100), List.of(50)))
                    .when(allocate("a1", "alice", Map.of("cpu", 9L)))
                    .expectEvents(allocated("a1", "alice", Map.of("cpu", 9L), ccs(9, 0, 0), ccs(9, 0, 0),
                            projectCrossed("cpu", 50, 9, 10)));
        }

        @Test
        void changingAQuotaCrossesNothingAndTheNextAllocationWeighsTheNewQuota() {
            fixture.given(projectQuota(10, 2, 64),
                            allocated("a1", "alice", Map.of("cpu", 5L), ccs(5, 0, 0), ccs(5, 0, 0)),
                            new ProjectQuotaSet(PROJECT, CCS, ccs(10, 2, 64), ccs(6, 2, 64), false))
                    .when(allocate("a2", "alice", Map.of("cpu", 1L)))
                    .expectEvents(allocated("a2", "alice", Map.of("cpu", 1L), ccs(6, 0, 0), ccs(6, 0, 0),
                            projectCrossed("cpu", 100, 6, 6)));
        }
    }

    @Nested
    class Reconciling {

        private UsageAllocated allocatedAt(String allocationId, String userId, long cpu, long memberCpu,
                                           long projectCpu, Instant at) {
            return new UsageAllocated(PROJECT, CCS, allocationId, userId, Map.of("cpu", cpu), ccs(memberCpu, 0, 0),
                    ccs(projectCpu, 0, 0), at, List.of());
        }

        private UsageReleased reconciled(String allocationId, String userId, long cpu, long memberCpu,
                                         long projectCpu) {
            return new UsageReleased(PROJECT, CCS, allocationId, userId, Map.of("cpu", cpu), ccs(memberCpu, 0, 0),
                    ccs(projectCpu, 0, 0), ReleaseReason.RECONCILED);
        }

        private ReconcileAllocations reconcile(Instant listedAt, boolean dryRun, String... listed) {
            return new ReconcileAllocations(PROJECT, CCS, listedAt, Set.of(listed), dryRun);
        }

        @Test
        void allocationsNotListedAndMadeBeforeTheListAreReleasedAsReconciled() {
            fixture.given(projectQuota(10, 2, 64),
                            allocatedAt("a1", "alice", 2, 2, 2, NOW.minusSeconds(600)),
                            allocatedAt("a2", "bob", 3, 3, 5, NOW.minusSeconds(500)),
                            allocatedAt("a3", "alice", 1, 3, 6, NOW.minusSeconds(400)))
                    .when(reconcile(NOW.minusSeconds(60), false, "a2", "gone"))
                    .expectResultMessagePayload(new Reconciliation(List.of("a1", "a3"), List.of("gone"),
                            List.of("a1", "a3")))
                    .expectEvents(reconciled("a1", "alice", 2, 1, 4), reconciled("a3", "alice", 1, 0, 3));
        }

        @Test
        void aDryRunFindsTheLeaksAndReleasesNone() {
            fixture.given(projectQuota(10, 2, 64),
                            allocatedAt("a1", "alice", 2, 2, 2, NOW.minusSeconds(600)))
                    .when(reconcile(NOW.minusSeconds(60), true))
                    .expectResultMessagePayload(new Reconciliation(List.of("a1"), List.of(), List.of()))
                    .expectNoEvents();
        }

        @Test
        void anAllocationMadeAfterTheListIsNeverReleased() {
            fixture.given(projectQuota(10, 2, 64),
                            allocatedAt("a1", "alice", 2, 2, 2, NOW.minusSeconds(60)),
                            allocatedAt("a2", "alice", 1, 3, 3, NOW.minusSeconds(59)))
                    .when(reconcile(NOW.minusSeconds(60), false))
                    .expectResultMessagePayload(new Reconciliation(List.of(), List.of(), List.of()))
                    .expectNoEvents();
        }

        @Test
        void anAllocationOfTheListsOwnSecondWaitsForTheNextReconcile() {
            fixture.given(projectQuota(10, 2, 64),
                            allocatedAt("a1", "alice", 2, 2, 2, NOW.minusSeconds(60)))
                    .when(reconcile(NOW.minusSeconds(60).plusMillis(999), false))
                    .expectResultMessagePayload(new Reconciliation(List.of(), List.of(), List.of()))
                    .expectNoEvents();
        }

        @Test
        void releasedAllocationsListedAreUnknown() {
            fixture.given(projectQuota(10, 2, 64),
                            allocatedAt("a1", "alice", 2, 2, 2, NOW.minusSeconds(600)),
                            released("a1", "alice", Map.of("cpu", 2L), ccs(0, 0, 0), ccs(0, 0, 0)))
                    .when(reconcile(NOW, false, "a1"))
                    .expectResultMessagePayload(new Reconciliation(List.of(), List.of("a1"), List.of()))
                    .expectNoEvents();
        }

        @Test
        void aReconciledAllocationReleasedAgainChangesNothing() {
            fixture.given(projectQuota(10, 2, 64),
                            allocatedAt("a1", "alice", 2, 2, 2, NOW.minusSeconds(600)),
                            reconciled("a1", "alice", 2, 0, 0))
                    .when(new ReleaseUsage(PROJECT, CCS, "a1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aListFromTheFutureIsRefused() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(reconcile(NOW.plusSeconds(1), false))
                    .expectException(invalidValue("listedAt"))
                    .expectNoEvents();
        }
    }

    @Test
    void aThresholdIsAPercentageOfTheQuotaExactlyEvenForTheLargestQuotas() {
        AlertThresholds eighty = AlertThresholds.of(List.of(80));
        assertThat(eighty.crossed(10, 7, 8)).containsExactly(80);
        assertThat(eighty.crossed(3, 2, 2)).isEmpty();
        assertThat(eighty.crossed(3, 2, 3)).containsExactly(80);
        long huge = Long.MAX_VALUE - 1;
        assertThat(eighty.crossed(huge, 0, huge / 10 * 8)).isEmpty();
        assertThat(eighty.crossed(huge, 0, huge / 10 * 8 + 5)).containsExactly(80);
        assertThat(eighty.crossed(QuotaPolicy.UNLIMITED, 0, huge)).isEmpty();
    }

    @Nested
    class DecidingABatch {

        @Test
        void changesAreDecidedInOrderEachAsItWouldBeAloneAndARefusalStopsNoOther() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(batch(change(allocate("a1", "alice", Map.of("cpu", 6L)), "first"),
                            change(allocate("a2", "bob", Map.of("cpu", 6L)), "second"),
                            change(new ReleaseUsage(PROJECT, CCS, "a1"), "third"),
                            change(allocate("a2", "bob", Map.of("cpu", 6L)), "fourth")))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(allocated("a1", "alice", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)),
                            released("a1", "alice", Map.of("cpu", 6L), ccs(0, 0, 0), ccs(0, 0, 0)),
                            allocated("a2", "bob", Map.of("cpu", 6L), ccs(6, 0, 0), ccs(6, 0, 0)))
                    .expectResultMessagePayloadMatching(outcomes(outcomes -> {
                        assertThat(outcomes).hasSize(4);
                        assertThat(((AllocationResult) outcomes.get(0).result()).allocation().allocationId())
                                .isEqualTo("a1");
                        assertThat(outcomes.get(1).refusal()).isInstanceOfSatisfying(DomainException.class,
                                refusal -> assertThat(refusal.details()).containsEntry("scope", "PROJECT")
                                        .containsEntry("available", 4L));
                        assertThat(outcomes.get(2)).isEqualTo(UsageBatch.Outcome.decided(null));
                        assertThat(((AllocationResult) outcomes.get(3).result()).repeated()).isFalse();
                    }));
        }

        @Test
        void eachChangesEventsCarryTheMetadataOfThatChange() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(batch(change(allocate("a1", "alice", Map.of("cpu", 1L)), "first"),
                            change(allocate("a2", "bob", Map.of("cpu", 1L)), "second"),
                            change(new ReleaseUsage(PROJECT, CCS, "a1"), "third")))
                    .expectEventsMatching(Matchers.exactSequenceOf(askedBy("first"), askedBy("second"),
                            askedBy("third"), Matchers.andNoMore()));
        }

        @Test
        void anAllocationIdSentTwiceInOneBatchIsAnsweredTheSecondTimeAsTheFirst() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(batch(change(allocate("a1", "alice", Map.of("cpu", 3L)), "first"),
                            change(allocate("a1", "alice", Map.of("cpu", 3L)), "again"),
                            change(allocate("a1", "alice", Map.of("cpu", 4L)), "other body")))
                    .expectEvents(allocated("a1", "alice", Map.of("cpu", 3L), ccs(3, 0, 0), ccs(3, 0, 0)))
                    .expectResultMessagePayloadMatching(outcomes(outcomes -> {
                        assertThat(((AllocationResult) outcomes.get(0).result()).repeated()).isFalse();
                        assertThat(outcomes.get(1).result()).isEqualTo(new AllocationResult(
                                ((AllocationResult) outcomes.get(0).result()).allocation(), true));
                        assertThat(outcomes.get(2).refusal()).isInstanceOfSatisfying(DomainException.class,
                                refusal -> assertThat(refusal.code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT));
                    }));
        }

        @Test
        void anInvalidChangeIsRefusedAsAlone() {
            fixture.given(projectQuota(10, 2, 64))
                    .when(batch(change(allocate("a1", "alice", Map.of("floating_ip", 1L)), "first"),
                            change(new ReleaseUsage(PROJECT, CCS, "unknown"), "second")))
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(outcomes(outcomes -> {
                        assertThat(outcomes.get(0).refusal()).isInstanceOf(InvalidValue.class);
                        assertThat(outcomes.get(1).refusal()).isInstanceOfSatisfying(DomainException.class,
                                refusal -> assertThat(refusal.code()).isEqualTo(ErrorCode.ALLOCATION_NOT_FOUND));
                    }));
        }

        @Test
        void aBatchHoldsTheChangesOfItsOwnQuotaOnly() {
            assertThatThrownBy(() -> new UsageBatch(PROJECT, CCS,
                    List.of(change(new ReleaseUsage(PROJECT, "VCS", "a1"), "first"))))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        private UsageBatch batch(UsageBatch.Change... changes) {
            return new UsageBatch(PROJECT, CCS, List.of(changes));
        }

        private UsageBatch.Change change(UsageChange change, String askedBy) {
            return new UsageBatch.Change(change, Map.of("askedBy", askedBy));
        }

        private Matcher<EventMessage<?>> askedBy(String askedBy) {
            return new TypeSafeDiagnosingMatcher<>() {
                @Override
                protected boolean matchesSafely(EventMessage<?> event, Description mismatch) {
                    mismatch.appendText("carried ").appendValue(event.getMetaData());
                    return askedBy.equals(event.getMetaData().get("askedBy"));
                }

                @Override
                public void describeTo(Description description) {
                    description.appendText("an event asked for by ").appendValue(askedBy);
                }
            };
        }

        @SuppressWarnings("unchecked")
        private Matcher<Object> outcomes(java.util.function.Consumer<List<UsageBatch.Outcome>> assertions) {
            return new TypeSafeDiagnosingMatcher<>() {
                @Override
                protected boolean matchesSafely(Object outcomes, Description mismatch) {
                    try {
                        assertions.accept((List<UsageBatch.Outcome>) outcomes);
                        return true;
                    } catch (AssertionError e) {
                        mismatch.appendText(e.getMessage());
                        return false;
                    }
                }

                @Override
                public void describeTo(Description description) {
                    description.appendText("the outcomes, one for each change, in order");
                }
            };
        }
    }

    private static AllocateUsage allocate(String allocationId, String userId, Map<String, Long> resources) {
        return new AllocateUsage(PROJECT, CCS, allocationId, userId, resources);
    }

    private static ProjectQuotaSet projectQuota(long cpu, long gpu, long memory) {
        return new ProjectQuotaSet(PROJECT, CCS, ccs(0, 0, 0), ccs(cpu, gpu, memory), false);
    }

    private static MemberQuotaSet memberQuota(String userId, Map<String, Long> oldQuota, Map<String, Long> newQuota) {
        return new MemberQuotaSet(PROJECT, CCS, userId, oldQuota, newQuota, false);
    }

    private static UsageAllocated allocated(String allocationId, String userId, Map<String, Long> resources,
                                            Map<String, Long> memberUsage, Map<String, Long> projectUsage,
                                            ThresholdCrossed... crossed) {
        return new UsageAllocated(PROJECT, CCS, allocationId, userId, resources, memberUsage, projectUsage, NOW,
                List.of(crossed));
    }

    private static ThresholdCrossed projectCrossed(String resource, int threshold, long usage, long quota) {
        return new ThresholdCrossed(Scope.PROJECT, resource, threshold, usage, quota);
    }

    private static ThresholdCrossed memberCrossed(String resource, int threshold, long usage, long quota) {
        return new ThresholdCrossed(Scope.MEMBER, resource, threshold, usage, quota);
    }

    private static UsageReleased released(String allocationId, String userId, Map<String, Long> resources,
                                          Map<String, Long> memberUsage, Map<String, Long> projectUsage) {
        return new UsageReleased(PROJECT, CCS, allocationId, userId, resources, memberUsage, projectUsage,
                ReleaseReason.RELEASED);
    }

    private static Map<String, Long> ccs(long cpu, long gpu, long memory) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        amounts.put("cpu", cpu);
        amounts.put("gpu", gpu);
        amounts.put("memory", memory);
        return amounts;
    }

    private static Map<String, Long> vcs(long cpu, long gpu, long memory, long floatingIp) {
        Map<String, Long> amounts = ccs(cpu, gpu, memory);
        amounts.put("floating_ip", floatingIp);
        return amounts;
    }

    private static Range range(long min, long max) {
        return new Range(min, max);
    }

    private static Map<String, Range> ranges(Range cpu, Range gpu, Range memory) {
        Map<String, Range> ranges = new LinkedHashMap<>();
        ranges.put("cpu", cpu);
        ranges.put("gpu", gpu);
        ranges.put("memory", memory);
        return ranges;
    }

    // ---- matchers ---------------------------------------------------------------------------------------------

    private static Matcher<DomainException> exceeded(Scope scope, String resource, long requested, long available) {
        return rejectedWith(ErrorCode.QUOTA_EXCEEDED, Map.of("scope", scope.name(), "resource", resource,
                "requested", requested, "available", available));
    }

    private static Matcher<AllocationResult> repeated(String allocationId) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(AllocationResult result, Description mismatch) {
                mismatch.appendText("was ").appendValue(result);
                return result.repeated() && result.allocation().allocationId().equals(allocationId)
                        && result.allocation().allocatedAt().equals(NOW)
                        && result.allocation().memberUsage().equals(ccs(3, 0, 0))
                        && result.allocation().projectUsage().equals(ccs(3, 0, 0));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("the first answer to ").appendValue(allocationId).appendText(", repeated");
            }
        };
    }
}
