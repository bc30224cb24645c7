package keyquota.api.console.browser;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;

/**
 * Skips the test class, before its Spring context starts, where Debian's chromium or chromium-driver is not
 * installed, saying how to run it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresChromium.Condition.class)
public @interface RequiresChromium {

    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Files.isExecutable(Browser.CHROMIUM) && Files.isExecutable(Browser.CHROMEDRIVER)) {
                return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
            }
            return ConditionEvaluationResult.disabled("Browser test skipped: " + Browser.CHROMIUM + " and "
                    + Browser.CHROMEDRIVER + " are needed. Run apt-get install -y chromium chromium-driver,"
                    + " then mvn -B verify.");
        }
    }
}
