package keyquota.domain;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import java.util.Map;

/** Matchers for the exceptions with which aggregates reject commands, for {@code expectException(Matcher)}. */
public final class Rejections {

    private Rejections() {
    }

    public static Matcher<DomainException> rejectedWith(ErrorCode code) {
        return rejectedWith(code, null);
    }

    /** A DomainException with this code and, unless null, exactly these details. */
    public static Matcher<DomainException> rejectedWith(ErrorCode code, Map<String, Object> details) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DomainException exception) {
                return exception.code() == code && (details == null || details.equals(exception.details()));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a DomainException with code ").appendValue(code);
                if (details != null) {
                    description.appendText(" and details ").appendValue(details);
                }
            }

            @Override
            protected void describeMismatchSafely(DomainException exception, Description mismatch) {
                mismatch.appendText("code was ").appendValue(exception.code()).appendText(" with details ")
                        .appendValue(exception.details());
            }
        };
    }

    public static Matcher<InvalidValue> invalidValue(String field) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(InvalidValue exception) {
                return field.equals(exception.field());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("an InvalidValue for field ").appendValue(field);
            }

            @Override
            protected void describeMismatchSafely(InvalidValue exception, Description mismatch) {
                mismatch.appendText("field was ").appendValue(exception.field());
            }
        };
    }
}
