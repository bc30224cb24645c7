package keyquota.api.console;

import keyquota.application.auth.Principal;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Signing in, and where a signed-in person starts: their project's keys, or the operator's projects. */
@Controller
class HomeController {

    @GetMapping("/")
    String home(@AuthenticationPrincipal Principal principal) {
        if (principal instanceof Principal.Member member) {
            return "redirect:/projects/" + member.projectId() + "/keys";
        }
        return "redirect:/projects";
    }

    /**
     * @param error why the last key did not sign in ({@code SignInFilter})
     * @param ended why the session ended: its key is no longer valid
     */
    @GetMapping(SignInFilter.PATH)
    String signIn(@RequestParam(required = false) String error, @RequestParam(required = false) String ended,
                  @RequestParam(name = "signed-out", required = false) String signedOut, Model model) {
        model.addAttribute("error", known(error));
        model.addAttribute("ended", known(ended));
        model.addAttribute("signedOut", signedOut != null);
        return "console/sign-in";
    }

    /** Only reasons the page has words for; anything else typed into the address bar is ignored. */
    private static String known(String reason) {
        return reason != null && reason.matches("EMPTY|MALFORMED|NOT_FOUND|EXPIRED|REVOKED|DISABLED|SERVICE_KEY")
                ? reason : null;
    }
}
