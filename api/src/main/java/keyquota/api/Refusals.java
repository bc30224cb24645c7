package keyquota.api;

import keyquota.domain.ErrorCode;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The refusals an API operation can give beyond those every operation can (401, 400, 406, 429, 503, and 409
 * CONCURRENT_MODIFICATION for one that changes state), as the API description lists them: each code's status
 * follows its kind (403, 404 or 409). Read by {@code keyquota.api.config.ErrorResponses}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Refusals {

    ErrorCode[] value() default {};

    /** False for an operation that, whatever its method, changes nothing a concurrent request could also change. */
    boolean changes() default true;
}
