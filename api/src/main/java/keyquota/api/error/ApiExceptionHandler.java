package keyquota.api.error;

import keyquota.application.auth.Forbidden;
import keyquota.application.secret.KeySecret;
import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns every failure of the API's controllers into problem details with a {@code code}. Messages never echo
 * request values: a value may be a key secret. A request no controller takes (an unknown path) goes to
 * {@link ProblemErrorController}, which answers a console path with the console's page.
 */
@RestControllerAdvice(annotations = RestController.class) // the console's pages have ConsoleAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(DomainException.class)
    ResponseEntity<ProblemDetail> rejected(DomainException e) {
        HttpStatus status = switch (e.code().kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
        };
        ProblemDetail problem = Problems.of(status, e.code().name(), e.getMessage());
        e.details().forEach(problem::setProperty);
        return respond(problem);
    }

    @ExceptionHandler(InvalidValue.class)
    ResponseEntity<ProblemDetail> invalid(InvalidValue e) {
        return respond(Problems.invalid(e.field(), e.getMessage()));
    }

    @ExceptionHandler(Forbidden.class)
    ResponseEntity<ProblemDetail> forbidden(Forbidden e) {
        return respond(Problems.of(HttpStatus.FORBIDDEN, "FORBIDDEN", e.getMessage()));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrentModification(ConcurrencyException e) {
        return concurrentModification();
    }

    /** Another transaction won a race for the same data: a sequence clash, a deadlock, a serialization failure. */
    private static ResponseEntity<ProblemDetail> concurrentModification() {
        return respond(Problems.of(HttpStatus.CONFLICT, "CONCURRENT_MODIFICATION",
                "Another request changed the same data at the same moment; try again."));
    }

    private ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.warn("Database unavailable: {}", e.toString());
        return respond(Problems.unavailable());
    }

    /**
     * Commands queued on one aggregate beyond what its lock lets through in time: nothing was changed (the lock
     * is taken before anything is written), and the client may come back shortly.
     */
    @ExceptionHandler(LockAcquisitionFailedException.class)
    ResponseEntity<ProblemDetail> busy(LockAcquisitionFailedException e) {
        log.warn("Too many requests waiting for one aggregate: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE",
                        "Too many requests are changing the same data at once; nothing was changed, try again."));
    }

    /** Path identifiers that cannot exist, such as a key id that is not a UUID, are simply not found. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        if (e.getRequiredType() == UUID.class && "keyId".equals(e.getName())
                && e.getParameter().hasParameterAnnotation(PathVariable.class)) {
            return respond(Problems.of(HttpStatus.NOT_FOUND, "KEY_NOT_FOUND", "Key not found."));
        }
        if (e.getRequiredType() == UUID.class && "webhookId".equals(e.getName())
                && e.getParameter().hasParameterAnnotation(PathVariable.class)) {
            return respond(Problems.of(HttpStatus.NOT_FOUND, "NOT_FOUND", "Webhook not found."));
        }
        return respond(Problems.invalid(e.getName(), "has the wrong type"));
    }

    /** A query string that is not valid percent-encoded UTF-8 (Tomcat refuses to decode it). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableParameter(InvalidParameterException e) {
        return respond(Problems.invalid("query", "is not valid percent-encoded UTF-8"));
    }

    /**
     * A value PostgreSQL cannot hold (SQLSTATE class 22, such as a NUL character in a query parameter) is the
     * caller's mistake, and the statement changed nothing.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> unstorableValue(DataIntegrityViolationException e) {
        if (e.getMostSpecificCause() instanceof SQLException sql && sql.getSQLState() != null
                && sql.getSQLState().startsWith("22")) {
            return respond(Problems.invalid("request", "holds a value that cannot be stored"));
        }
        return unexpected(e);
    }

    /** Axon and Spring may wrap a known failure; answer for the innermost one we know, else 500. */

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        Optional<RuntimeException> known = Failures.known(e.getCause());
        if (known.isPresent()) {
            RuntimeException cause = known.get();
            if (cause instanceof DomainException domain) {
                return rejected(domain);
            }
            if (cause instanceof InvalidValue invalid) {
                return invalid(invalid);
            }
            if (cause instanceof Forbidden forbidden) {
                return forbidden(forbidden);
            }
            if (cause instanceof LockAcquisitionFailedException busy) {
                return busy(busy);
            }
            return concurrentModification();
        }
        if (DatabaseFailures.isUnavailable(e)) {
            return unavailable(e);
        }
        if (DatabaseFailures.isConflict(e)) {
            return concurrentModification();
        }
        log.error("Unexpected failure", e);
        return respond(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Unexpected failure."));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<Problems.FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new Problems.FieldError(error.getField(), error.getDefaultMessage()))
                .toList();
        return new ResponseEntity<>(Problems.invalid(errors), headers, HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
                                                                            HttpHeaders headers,
                                                                            HttpStatusCode status,
                                                                            WebRequest request) {
        List<Problems.FieldError> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors body
                        ? body.getFieldErrors().stream()
                        .map(error -> new Problems.FieldError(error.getField(), error.getDefaultMessage()))
                        : result.getResolvableErrors().stream()
                        .map(error -> new Problems.FieldError(parameterName(result), error.getDefaultMessage())))
                .toList();
        return new ResponseEntity<>(Problems.invalid(errors), headers, HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        if (causedBy(e, RequestBodyLimitFilter.BodyTooLarge.class)) {
            return new ResponseEntity<>(Problems.tooLarge("The request body is too large."), headers,
                    HttpStatus.CONTENT_TOO_LARGE);
        }
        return new ResponseEntity<>(Problems.invalid(List.of(unreadable(e))), headers, HttpStatus.BAD_REQUEST);
    }

    /** Every other Spring MVC failure (404, 405, 406, 415, ...) keeps its status and gains a code. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail
                : ProblemDetail.forStatusAndDetail(status, e.getMessage());
        if (status.value() == HttpStatus.BAD_REQUEST.value()
                && (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
            // Spring's own 400s (a parameter missing or of the wrong type, where no handler names it): its words
            problem = problem.getDetail() == null ? Problems.malformedRequest()
                    : Problems.invalid(Problems.MALFORMED_FIELD, problem.getDetail());
        } else if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
            Problems.withCode(problem, Problems.codeFor(status));
        }
        return super.handleExceptionInternal(e, problem, headers, status, request);
    }

    private static Problems.FieldError unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = KeySecret.parse(unknown.getPropertyName()).map(KeySecret::masked)
                    .orElse(unknown.getPropertyName());
            return new Problems.FieldError(field, "is not a field of this request");
        }
        if (cause instanceof InputCoercionException outOfRange) {
            return new Problems.FieldError(pathOf(outOfRange), "is a number out of range");
        }
        if (cause instanceof StreamReadException) {
            return new Problems.FieldError("body", "is not well-formed JSON");
        }
        if (cause instanceof JacksonException json) {
            return new Problems.FieldError(json.getPath().isEmpty() ? "body" : pathOf(json),
                    "has the wrong type or format");
        }
        return new Problems.FieldError("body", "is missing or unreadable");
    }

    private static String pathOf(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parameterName(ParameterValidationResult result) {
        String name = result.getMethodParameter().getParameterName();
        return name == null ? "parameter" : name;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }
}
