package keyquota.api.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.ModelAndView;

import java.util.HashMap;
import java.util.Map;

/**
 * The console's error page. An htmx request gets the message alone, placed in the page's live region (where a
 * screen reader announces it) instead of inside whatever fragment it asked for.
 */
public final class ConsoleErrors {

    private ConsoleErrors() {
    }

    public static ModelAndView page(HttpStatus status, String message, SignedIn signedIn, HttpServletRequest request,
                                    HttpServletResponse response) {
        response.setStatus(status.value());
        Map<String, Object> model = new HashMap<>();
        model.put("status", status.value());
        model.put("message", message);
        if (signedIn != null) {
            model.put("signedIn", signedIn);
        }
        if (request.getHeader("HX-Request") != null) {
            response.setHeader("HX-Retarget", "#status");
            response.setHeader("HX-Reswap", "innerHTML");
            return new ModelAndView("console/error :: message", model);
        }
        return new ModelAndView("console/error", model);
    }

    public static String messageFor(HttpStatus status) {
        return switch (status.value()) {
            case 400, 403, 404, 405, 503 -> "error.status." + status.value();
            default -> status.is4xxClientError() ? "error.status.400" : "error.status.500";
        };
    }
}
