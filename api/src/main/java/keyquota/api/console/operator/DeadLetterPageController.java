package keyquota.api.console.operator;

import keyquota.application.auth.Principal;
import keyquota.application.projection.DeadLetters;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The operator's dead letters: events a streaming read model could not apply, parked so that it could go on, and
 * retrying them (all at once, as the admin API does). Members are refused.
 */
@Controller
@RequestMapping("/dead-letters")
class DeadLetterPageController {

    private final DeadLetters deadLetters;

    DeadLetterPageController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    String page(@AuthenticationPrincipal Principal principal,
                @RequestHeader(name = "HX-Target", required = false) String target, Model model) {
        model.addAttribute("deadLetters", deadLetters.list(principal));
        return "dead-letters-table".equals(target) ? "console/dead-letters :: table" : "console/dead-letters";
    }

    /** The table as it stands after the retry, and in the live region how many went through. */
    @PostMapping("/retry")
    String retry(@AuthenticationPrincipal Principal principal, Model model) {
        DeadLetters.RetryOutcome outcome = deadLetters.retry(principal);
        model.addAttribute("deadLetters", deadLetters.list(principal));
        model.addAttribute("message", "deadLetters.retried");
        model.addAttribute("messageArgs", new Object[]{outcome.retried(), outcome.remaining()});
        return "console/dead-letters :: retried";
    }
}
