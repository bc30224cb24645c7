package keyquota.api.error;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.config.KeyquotaProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.io.IOException;

/**
 * Refuses bodies above {@code keyquota.max-body-bytes} with 413: at once when Content-Length says so, and
 * while reading when the body is chunked.
 */
@Component
/** Runs right after the correlation id is set, so a 413 carries it too. */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    /** A reconcile lists every allocation a cloud service holds in a project: far more than any other body. */
    private static final PathPattern RECONCILE = PathPatternParser.defaultInstance.parse(
            "/api/v1/projects/{projectId}/quotas/{service}/allocations/reconcile");

    private final int defaultMaxBytes;
    private final int reconcileMaxBytes;
    private final ProblemWriter problems;

    public RequestBodyLimitFilter(KeyquotaProperties properties, ProblemWriter problems) {
        this.defaultMaxBytes = properties.maxBodyBytes();
        this.reconcileMaxBytes = properties.maxReconcileBodyBytes();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // every request passes here, verification too: the path is parsed only when it may be a reconcile
        int maxBytes = path.endsWith("/reconcile") && RECONCILE.matches(PathContainer.parsePath(path))
                ? reconcileMaxBytes : defaultMaxBytes;
        if (request.getContentLengthLong() > maxBytes) {
            problems.write(response, Problems.tooLarge(
                    "The request body is larger than " + maxBytes + " bytes."));
            return;
        }
        chain.doFilter(new LimitedRequest(request, maxBytes), response);
    }

    /** Thrown while reading a body that turns out to be too large. */
    static class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("request body too large");
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final int maxBytes;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, int maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private long remaining;

        LimitedStream(ServletInputStream delegate, long maxBytes) {
            this.delegate = delegate;
            this.remaining = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLarge {
            remaining -= n;
            if (remaining < 0) {
                throw new BodyTooLarge();
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
