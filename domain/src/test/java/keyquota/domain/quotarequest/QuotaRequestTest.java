package keyquota.domain.quotarequest;

import keyquota.domain.ErrorCode;
import keyquota.domain.service.ServiceCatalog;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static keyquota.domain.Rejections.invalidValue;
import static keyquota.domain.Rejections.rejectedWith;

/**
 * The rules of a quota request (contract: "Quotas", "Precise points of the additions"): who may take which step
 * from which status. Every rejection is checked for its exact code and for changing nothing.
 */
class QuotaRequestTest {

    private static final String REQUEST = "3f0c8a52-6d1e-4c55-9a0b-2f7d5c1e9b10";
    private static final String PROJECT = "GOV108001";
    private static final String CCS = "CCS";
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    private static final Map<String, Long> GPUS = Map.of("gpu", 8L);
    private static final Decider ADMIN = Decider.member("admin");
    private static final Decider ALICE = Decider.member("alice");
    private static final Decider OPERATOR = Decider.theOperator();

    private AggregateTestFixture<QuotaRequest> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(QuotaRequest.class);
        fixture.registerInjectableResource(ServiceCatalog.TWCC);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static QuotaRequested requested() {
        return new QuotaRequested(REQUEST, PROJECT, CCS, "alice", GPUS, "training run", "alice", NOW);
    }

    private static QuotaRequestForwarded forwarded() {
        return new QuotaRequestForwarded(REQUEST, PROJECT, CCS, "alice", ADMIN, "beyond the project", NOW);
    }

    @Nested
    class Requesting {

        @Test
        void aRequestIsPendingWithWhatItAsksForAndWhoAsked() {
            fixture.givenNoPriorActivity()
                    .when(new RequestQuota(REQUEST, PROJECT, CCS, "alice", GPUS, "training run", "admin"))
                    .expectEvents(new QuotaRequested(REQUEST, PROJECT, CCS, "alice", GPUS, "training run", "admin",
                            NOW));
        }

        @Test
        void anUnknownServiceIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new RequestQuota(REQUEST, PROJECT, "HPC", "alice", GPUS, "x", "alice"))
                    .expectException(rejectedWith(ErrorCode.SERVICE_NOT_FOUND))
                    .expectNoEvents();
        }

        @Test
        void theResourcesFollowTheQuotaRules() {
            fixture.givenNoPriorActivity()
                    .when(new RequestQuota(REQUEST, PROJECT, CCS, "alice", Map.of("floating_ip", 1L), "x", "alice"))
                    .expectException(invalidValue("resources.floating_ip"))
                    .expectNoEvents();
            fixture.givenNoPriorActivity()
                    .when(new RequestQuota(REQUEST, PROJECT, CCS, "alice", Map.of(), "x", "alice"))
                    .expectException(invalidValue("resources"));
            fixture.givenNoPriorActivity()
                    .when(new RequestQuota(REQUEST, PROJECT, CCS, "alice", Map.of("gpu", -2L), "x", "alice"))
                    .expectException(invalidValue("resources.gpu"));
        }

        @Test
        void aReasonIsRequiredAndShort() {
            fixture.givenNoPriorActivity()
                    .when(new RequestQuota(REQUEST, PROJECT, CCS, "alice", GPUS, null, "alice"))
                    .expectException(invalidValue("reason"))
                    .expectNoEvents();
            fixture.givenNoPriorActivity()
                    .when(new RequestQuota(REQUEST, PROJECT, CCS, "alice", GPUS, " ", "alice"))
                    .expectException(invalidValue("reason"));
            fixture.givenNoPriorActivity()
                    .when(new RequestQuota(REQUEST, PROJECT, CCS, "alice", GPUS, "x".repeat(501), "alice"))
                    .expectException(invalidValue("reason"));
        }
    }

    @Nested
    class Approving {

        @Test
        void aPendingRequestIsApprovedWithWhatItAskedFor() {
            fixture.given(requested())
                    .when(new ApproveQuotaRequest(REQUEST, ADMIN))
                    .expectEvents(new QuotaRequestApproved(REQUEST, PROJECT, CCS, "alice", GPUS, ADMIN, NOW));
        }

        @Test
        void theOperatorApprovesAForwardedRequest() {
            fixture.given(requested(), forwarded())
                    .when(new ApproveQuotaRequest(REQUEST, OPERATOR))
                    .expectEvents(new QuotaRequestApproved(REQUEST, PROJECT, CCS, "alice", GPUS, OPERATOR, NOW));
        }

        @Test
        void aTenantAdminCannotDecideAForwardedRequest() {
            fixture.given(requested(), forwarded())
                    .when(new ApproveQuotaRequest(REQUEST, ADMIN))
                    .expectException(rejectedWith(ErrorCode.FORBIDDEN))
                    .expectNoEvents();
        }

        @Test
        void aClosedRequestIsNotDecidedAgain() {
            fixture.given(requested(), new QuotaRequestApproved(REQUEST, PROJECT, CCS, "alice", GPUS, ADMIN, NOW))
                    .when(new ApproveQuotaRequest(REQUEST, OPERATOR))
                    .expectException(rejectedWith(ErrorCode.REQUEST_CLOSED, Map.of("requestStatus", "APPROVED")))
                    .expectNoEvents();
        }
    }

    @Nested
    class Rejecting {

        @Test
        void aPendingRequestIsRejectedWithAReason() {
            fixture.given(requested())
                    .when(new RejectQuotaRequest(REQUEST, ADMIN, "not this quarter"))
                    .expectEvents(new QuotaRequestRejected(REQUEST, PROJECT, CCS, "alice", ADMIN, "not this quarter",
                            NOW));
        }

        @Test
        void aRejectionNeedsAReason() {
            fixture.given(requested())
                    .when(new RejectQuotaRequest(REQUEST, ADMIN, null))
                    .expectException(invalidValue("reason"))
                    .expectNoEvents();
        }

        @Test
        void aForwardedRequestIsRejectedByTheOperatorOnly() {
            fixture.given(requested(), forwarded())
                    .when(new RejectQuotaRequest(REQUEST, ADMIN, "no"))
                    .expectException(rejectedWith(ErrorCode.FORBIDDEN))
                    .expectNoEvents();
            fixture.given(requested(), forwarded())
                    .when(new RejectQuotaRequest(REQUEST, OPERATOR, "no"))
                    .expectEvents(new QuotaRequestRejected(REQUEST, PROJECT, CCS, "alice", OPERATOR, "no", NOW));
        }

        @Test
        void aCancelledRequestIsClosed() {
            fixture.given(requested(), new QuotaRequestCancelled(REQUEST, PROJECT, CCS, "alice", ALICE, NOW))
                    .when(new RejectQuotaRequest(REQUEST, ADMIN, "no"))
                    .expectException(rejectedWith(ErrorCode.REQUEST_CLOSED))
                    .expectNoEvents();
        }
    }

    @Nested
    class Forwarding {

        @Test
        void aPendingRequestIsForwardedWithAnOptionalReason() {
            fixture.given(requested())
                    .when(new ForwardQuotaRequest(REQUEST, ADMIN, null))
                    .expectEvents(new QuotaRequestForwarded(REQUEST, PROJECT, CCS, "alice", ADMIN, null, NOW));
        }

        @Test
        void aForwardedRequestIsNotForwardedAgain() {
            fixture.given(requested(), forwarded())
                    .when(new ForwardQuotaRequest(REQUEST, ADMIN, null))
                    .expectException(rejectedWith(ErrorCode.REQUEST_CLOSED, Map.of("requestStatus", "FORWARDED")))
                    .expectNoEvents();
        }

        @Test
        void aDecidedRequestIsNotForwarded() {
            fixture.given(requested(), new QuotaRequestRejected(REQUEST, PROJECT, CCS, "alice", ADMIN, "no", NOW))
                    .when(new ForwardQuotaRequest(REQUEST, ADMIN, "again"))
                    .expectException(rejectedWith(ErrorCode.REQUEST_CLOSED))
                    .expectNoEvents();
        }

        @Test
        void aGivenReasonIsNotBlank() {
            fixture.given(requested())
                    .when(new ForwardQuotaRequest(REQUEST, ADMIN, ""))
                    .expectException(invalidValue("reason"))
                    .expectNoEvents();
        }
    }

    @Nested
    class Cancelling {

        @Test
        void theRequesterCancelsAPendingOrForwardedRequest() {
            fixture.given(requested())
                    .when(new CancelQuotaRequest(REQUEST, ALICE))
                    .expectEvents(new QuotaRequestCancelled(REQUEST, PROJECT, CCS, "alice", ALICE, NOW));
            fixture.given(requested(), forwarded())
                    .when(new CancelQuotaRequest(REQUEST, ALICE))
                    .expectEvents(new QuotaRequestCancelled(REQUEST, PROJECT, CCS, "alice", ALICE, NOW));
        }

        @Test
        void theOperatorMayCancelToo() {
            fixture.given(requested())
                    .when(new CancelQuotaRequest(REQUEST, OPERATOR))
                    .expectEvents(new QuotaRequestCancelled(REQUEST, PROJECT, CCS, "alice", OPERATOR, NOW));
        }

        @Test
        void nobodyElseCancels() {
            fixture.given(requested())
                    .when(new CancelQuotaRequest(REQUEST, ADMIN))
                    .expectException(rejectedWith(ErrorCode.FORBIDDEN))
                    .expectNoEvents();
        }

        @Test
        void theMemberARequestIsForCannotCancelWhatATenantAdminAsked() {
            fixture.given(new QuotaRequested(REQUEST, PROJECT, CCS, "alice", GPUS, "x", "admin", NOW))
                    .when(new CancelQuotaRequest(REQUEST, ALICE))
                    .expectException(rejectedWith(ErrorCode.FORBIDDEN))
                    .expectNoEvents();
        }

        @Test
        void aClosedRequestIsNotCancelled() {
            fixture.given(requested(), new QuotaRequestApproved(REQUEST, PROJECT, CCS, "alice", GPUS, ADMIN, NOW))
                    .when(new CancelQuotaRequest(REQUEST, ALICE))
                    .expectException(rejectedWith(ErrorCode.REQUEST_CLOSED))
                    .expectNoEvents();
        }
    }
}
