package keyquota.api;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.Arrays;
import java.util.List;

/**
 * The paths of programs: the HTTP API, the actuator and the API description. They take keys in a header and answer
 * problem details; every other path is the console's, with sessions and pages.
 */
public final class ApiPaths {

    public static final String[] PATTERNS = {"/api/**", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**"};

    private static final List<PathPattern> PARSED = Arrays.stream(PATTERNS)
            .map(PathPatternParser.defaultInstance::parse).toList();

    private ApiPaths() {
    }

    public static boolean isApiPath(String path) {
        PathContainer container = PathContainer.parsePath(path);
        return PARSED.stream().anyMatch(pattern -> pattern.matches(container));
    }
}
