package keyquota.api.error;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.Writer;

/**
 * Requests Tomcat refuses before they reach the application (an encoded slash or NUL in the path, for example)
 * are answered as problem details too, instead of Tomcat's HTML page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        // a 400 is the contract's VALIDATION_FAILED, with the part at fault named
        String code = status == 400 ? Problems.VALIDATION_FAILED : known == null ? "ERROR" : known.name();
        String errors = status == 400 ? ",\"detail\":\"The request is not valid.\",\"errors\":[{\"field\":\""
                + Problems.MALFORMED_FIELD + "\",\"message\":\"" + Problems.MALFORMED_MESSAGE + "\"}]" : "";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"code\":\"" + code + "\"" + errors + "}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client has gone: there is no one left to tell.
        }
    }
}
