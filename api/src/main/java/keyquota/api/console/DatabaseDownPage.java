package keyquota.api.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import keyquota.api.ApiPaths;
import keyquota.api.error.DatabaseFailures;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;
import java.util.Locale;

/**
 * A console page while the database is away. Sessions live in PostgreSQL, so such a request fails before any page
 * controller runs (loading the session), and would fail again in the error page; this filter sits outside the
 * session filter and answers 503 with a page that needs neither a session nor a template.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class DatabaseDownPage extends OncePerRequestFilter {

    private final MessageSource messages;
    private final LocaleResolver locales;

    DatabaseDownPage(MessageSource messages, LocaleResolver locales) {
        this.messages = messages;
        this.locales = locales;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return ApiPaths.isApiPath(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (response.isCommitted() || !DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            write(request, response);
        }
    }

    private void write(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Locale locale = locales.resolveLocale(request);
        String title = HtmlUtils.htmlEscape(messages.getMessage("error.title", new Object[]{503}, locale));
        String message = HtmlUtils.htmlEscape(messages.getMessage("error.status.503", null, locale));
        response.resetBuffer();
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader("Retry-After", "5");
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding("UTF-8");
        if (request.getHeader("HX-Request") != null) {
            response.setHeader("HX-Retarget", "#status");
            response.setHeader("HX-Reswap", "innerHTML");
            response.getWriter().write("<p class=\"problem\">" + message + "</p>");
            return;
        }
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="%s"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title><link rel="stylesheet" href="/console/console.css"></head>
                <body><main id="main"><h1>%s</h1><p class="problem">%s</p></main></body></html>
                """.formatted(locale.toLanguageTag(), title, title, message));
    }
}
