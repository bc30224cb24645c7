package keyquota.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import keyquota.api.NoBody;
import keyquota.api.Refusals;
import keyquota.application.auth.Principal;
import keyquota.application.projection.DeadLetters;
import keyquota.application.projection.ReadModelAdministration;
import keyquota.domain.ErrorCode;
import keyquota.infrastructure.eventstore.AxonTables;
import keyquota.infrastructure.readmodel.ReadModelStatus;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** The operator's view of the read models: how far they are, rebuilding them, and their dead letters. */
@Tag(name = "Administration",
        description = "The operator's view of the read models: how far they are, rebuilding them, and their dead letters.")
@RestController
@RequestMapping("/api/v1/admin")
class AdminController {

    private final ReadModelAdministration readModels;
    private final DeadLetters deadLetters;

    AdminController(ReadModelAdministration readModels, DeadLetters deadLetters) {
        this.readModels = readModels;
        this.deadLetters = deadLetters;
    }

    /** @param failure why the last rebuild failed, if it did */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Projection(String name, long position, long headPosition, boolean replaying, double progress,
                      String failure) {

        static Projection of(ReadModelStatus status) {
            return new Projection(status.name(), status.position(), status.headPosition(), status.replaying(),
                    status.progress(), status.failure());
        }
    }

    record ProjectionList(List<Projection> projections) {
    }

    /** @param cause the failure's type and message, as the handler raised it */
    record DeadLetter(String processingGroup, String eventIdentifier, String eventType, String aggregateIdentifier,
                      Long sequenceNumber, String causeType, String cause, Instant enqueuedAt, Instant lastTouched) {

        static DeadLetter of(AxonTables.DeadLetter letter) {
            return new DeadLetter(letter.processingGroup(), letter.eventIdentifier(), letter.eventType(),
                    letter.aggregateIdentifier(), letter.sequenceNumber(), letter.causeType(), letter.cause(),
                    letter.enqueuedAt(), letter.lastTouched());
        }
    }

    record DeadLetterList(List<DeadLetter> deadLetters) {
    }

    record RetryOutcome(int retried, int remaining) {
    }

    @Operation(summary = "List the read models", description = "The operator only.")
    @Refusals(ErrorCode.FORBIDDEN)
    @GetMapping("/projections")
    ProjectionList projections(@AuthenticationPrincipal Principal principal) {
        return new ProjectionList(readModels.status(principal).stream().map(Projection::of).toList());
    }

    /** Starts rebuilding the read model from the event store; progress shows in GET /projections. */
    @Operation(summary = "Rebuild a read model", description = "The operator only. Read models that can be replayed: "
            + "projects, members, keys, quotas, usage_history, quota_requests, audit. Answers 202 with the state of "
            + "every read model; a replay already running on some node is not started twice.")
    @Refusals({ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @PostMapping("/projections/{name}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ProjectionList replay(@AuthenticationPrincipal Principal principal, @PathVariable String name,
                          @RequestBody(required = false) NoBody none) {
        readModels.rebuild(principal, name);
        return projections(principal);
    }

    @Operation(summary = "List dead letters", description = "The operator only: events a streaming read model parked "
            + "after three attempts.")
    @Refusals(ErrorCode.FORBIDDEN)
    @GetMapping("/dead-letters")
    DeadLetterList deadLetters(@AuthenticationPrincipal Principal principal) {
        return new DeadLetterList(deadLetters.list(principal).stream().map(DeadLetter::of).toList());
    }

    @Operation(summary = "Retry dead letters", description = "The operator only; answers how many were retried and how "
            + "many remain.")
    @Refusals(ErrorCode.FORBIDDEN)
    @PostMapping("/dead-letters/retry")
    RetryOutcome retryDeadLetters(@AuthenticationPrincipal Principal principal,
                                  @RequestBody(required = false) NoBody none) {
        DeadLetters.RetryOutcome outcome = deadLetters.retry(principal);
        return new RetryOutcome(outcome.retried(), outcome.remaining());
    }
}
