package keyquota.api.error;

import io.swagger.v3.oas.annotations.Hidden;
import keyquota.api.ApiPaths;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.console.ConsoleErrors;
import keyquota.api.console.SignedIn;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC (by the servlet container or a filter) are problem details too; a filter that
 * lost the database answers 503 like a controller would.
 */
@RestController
@Hidden // Spring's error page, not an operation of the API
class ProblemErrorController implements ErrorController {

    private final ProblemWriter problems;

    ProblemErrorController(ProblemWriter problems) {
        this.problems = problems;
    }

    @RequestMapping(value = "/error", produces = {MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE})
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        return ResponseEntity.status(statusOf(request)).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problemOf(request));
    }

    /** A browser on a console path gets the console's error page, in its language; the API stays JSON. */
    @RequestMapping(value = "/error", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView errorPage(HttpServletRequest request, HttpServletResponse response) {
        HttpStatus status = statusOf(request);
        String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path == null || ApiPaths.isApiPath(path)) {
            ProblemDetail problem = problemOf(request);
            return new ModelAndView((View) (model, in, out) -> problems.write(out, problem));
        }
        return ConsoleErrors.page(status, ConsoleErrors.messageFor(status), SignedIn.current(), request, response);
    }


    private static HttpStatus statusOf(HttpServletRequest request) {
        if (isDatabaseFailure(request)) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        return code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.NOT_FOUND;
    }

    private static ProblemDetail problemOf(HttpServletRequest request) {
        if (isDatabaseFailure(request)) {
            return Problems.unavailable();
        }
        HttpStatus status = statusOf(request);
        if (status == HttpStatus.BAD_REQUEST) {
            return Problems.malformedRequest();
        }
        return Problems.of(status, Problems.codeFor(status), status.getReasonPhrase());
    }

    private static boolean isDatabaseFailure(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && DatabaseFailures.isUnavailable(failure);
    }
}
