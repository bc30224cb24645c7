package keyquota.domain;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Matchers for the exceptions with which aggregates reject commands, for {@code expectException(Matcher)}. */
public final class Rejections {

    private Rejections() {
    }

    public static Matcher<DomainException> rejectedWith(ErrorCode code) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DomainException exception) {
                return exception.code() == code;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a DomainException with code ").appendValue(code);
            }

            @Override
            protected void describeMismatchSafely(DomainException exception, Description mismatch) {
                mismatch.appendText("code was ").appendValue(exception.code());
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
