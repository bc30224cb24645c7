package keyquota.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import keyquota.application.auth.Principal;
import keyquota.application.projection.DeadLetters;
import keyquota.application.projection.ProjectionStatus;
import keyquota.application.projection.ReadModelRebuild;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The operator's view of the read models: how far they are, rebuilding them, and their dead letters. */
@RestController
@RequestMapping("/api/v1/admin")
class AdminController {

    private final ReadModelRebuild rebuild;
    private final DeadLetters deadLetters;

    AdminController(ReadModelRebuild rebuild, DeadLetters deadLetters) {
        this.rebuild = rebuild;
        this.deadLetters = deadLetters;
    }

    /** @param failure why the last rebuild failed, if it did */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Projection(String name, long position, long headPosition, boolean replaying, double progress,
                      String failure) {

        static Projection of(ProjectionStatus status) {
            return new Projection(status.name(), status.position(), status.headPosition(), status.replaying(),
                    status.progress(), status.failure());
        }
    }

    record ProjectionList(List<Projection> projections) {
    }

    record DeadLetterList(List<DeadLetters.DeadLetter> deadLetters) {
    }

    @GetMapping("/projections")
    ProjectionList projections(@AuthenticationPrincipal Principal principal) {
        return new ProjectionList(rebuild.status(principal).stream().map(Projection::of).toList());
    }

    /** Starts rebuilding the read model from the event store; progress shows in GET /projections. */
    @PostMapping("/projections/{name}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ProjectionList replay(@AuthenticationPrincipal Principal principal, @PathVariable String name) {
        rebuild.start(principal, name);
        return projections(principal);
    }

    @GetMapping("/dead-letters")
    DeadLetterList deadLetters(@AuthenticationPrincipal Principal principal) {
        return new DeadLetterList(deadLetters.list(principal));
    }

    @PostMapping("/dead-letters/retry")
    DeadLetters.RetryOutcome retryDeadLetters(@AuthenticationPrincipal Principal principal) {
        return deadLetters.retry(principal);
    }
}
