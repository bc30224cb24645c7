package keyquota.api.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.error.DatabaseFailures;
import keyquota.api.error.Failures;
import keyquota.application.auth.Forbidden;
import keyquota.application.notification.Notifications;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

import java.util.Optional;

/**
 * What every console page knows (who is signed in), and what a console page shows when a request fails: a page
 * (or, for htmx, a message in the page's live region) in the viewer's language, never a stack trace or a value
 * from the request. Forms show their own errors next to their fields; this is for everything else.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

    private final Notifications notifications;

    ConsoleAdvice(Notifications notifications) {
        this.notifications = notifications;
    }

    @ModelAttribute("signedIn")
    SignedIn signedIn() {
        return SignedIn.current();
    }

    /** The count in the header's notifications link: on whole pages (a fragment has no header) of the signed in. */
    @ModelAttribute("unreadNotifications")
    long unreadNotifications(HttpServletRequest request) {
        SignedIn signedIn = SignedIn.current();
        return signedIn == null || request.getHeader("HX-Request") != null ? 0
                : notifications.unread(signedIn.principal());
    }

    @ExceptionHandler(Exception.class)
    ModelAndView failed(Exception e, HttpServletRequest request, HttpServletResponse response) {
        Optional<RuntimeException> known = Failures.known(e);
        if (known.isPresent()) {
            RuntimeException cause = known.get();
            if (cause instanceof DomainException domain && domain.code().kind() == ErrorCode.Kind.FORBIDDEN) {
                return errorPage(HttpStatus.FORBIDDEN, "error.status.403", request, response);
            }
            if (cause instanceof DomainException domain) {
                return errorPage(domain.code().kind() == ErrorCode.Kind.NOT_FOUND ? HttpStatus.NOT_FOUND
                        : HttpStatus.CONFLICT, "error." + domain.code().name(), request, response);
            }
            if (cause instanceof InvalidValue) {
                return errorPage(HttpStatus.BAD_REQUEST, "error.status.400", request, response);
            }
            if (cause instanceof Forbidden) {
                return errorPage(HttpStatus.FORBIDDEN, "error.status.403", request, response);
            }
            // as the API answers: an aggregate too busy to wait for is 503, a lost race 409; nothing changed
            return errorPage(cause instanceof LockAcquisitionFailedException ? HttpStatus.SERVICE_UNAVAILABLE
                    : HttpStatus.CONFLICT, "error.BUSY", request, response);
        }
        if (DatabaseFailures.isUnavailable(e)) {
            return errorPage(HttpStatus.SERVICE_UNAVAILABLE, "error.status.503", request, response);
        }
        if (DatabaseFailures.isConflict(e)) {
            return errorPage(HttpStatus.CONFLICT, "error.BUSY", request, response);
        }
        if (e instanceof TypeMismatchException) {
            // a path or query value that is not what the page takes (an unknown status, a malformed key id)
            return errorPage(HttpStatus.BAD_REQUEST, "error.status.400", request, response);
        }
        if (e instanceof ErrorResponse answer && answer.getStatusCode().is4xxClientError()) {
            HttpStatus status = HttpStatus.valueOf(answer.getStatusCode().value());
            return errorPage(status, ConsoleErrors.messageFor(status), request, response);
        }
        log.error("Unexpected failure", e);
        return errorPage(HttpStatus.INTERNAL_SERVER_ERROR, "error.status.500", request, response);
    }

    private ModelAndView errorPage(HttpStatus status, String message, HttpServletRequest request,
                                   HttpServletResponse response) {
        return ConsoleErrors.page(status, message, signedIn(), request, response);
    }
}
