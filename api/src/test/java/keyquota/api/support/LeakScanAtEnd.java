package keyquota.api.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * "The secret is returned once ... and is stored nowhere": once every test class of the run has finished, whatever
 * their order, every table of the run's database and the run's log are searched for every secret any test
 * received ({@link Api#SECRETS_SEEN}) and the operator key. JUnit closes what the root context's store holds after
 * the last class, and reports what the closing throws as a failure of the run.
 */
public final class LeakScanAtEnd implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakScanAtEnd.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        JdbcClient jdbc = SpringExtension.getApplicationContext(context).getBean(JdbcClient.class);
        context.getRoot().getStore(NAMESPACE).computeIfAbsent(Scan.class, key -> new Scan(jdbc), Scan.class);
    }

    /** The scan, run when the root store closes. */
    private record Scan(JdbcClient jdbc) implements AutoCloseable {

        @Override
        public void close() {
            Set<String> secrets = new HashSet<>(Api.SECRETS_SEEN);
            secrets.add(ApiTest.OPERATOR);
            List<String> leaks = new ArrayList<>(
                    SecretLeaks.inTables(SecretLeaks.everyValueOfEveryTable(jdbc), secrets));
            SecretLeaks.inLog(SecretLeaks.runLog(), secrets).forEach(leak -> leaks.add("run.log: " + leak));
            if (!leaks.isEmpty()) {
                throw new AssertionError(leaks.size() + " secrets stored or logged after the run, of "
                        + secrets.size() + " handed out: " + leaks);
            }
        }
    }
}
