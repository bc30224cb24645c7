package keyquota.api.console;

import jakarta.servlet.http.HttpServletResponse;
import keyquota.application.auth.Authenticator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import java.util.List;

/**
 * The console: every path the API's and Swagger UI's chains do not take. People sign in with an API key; the
 * session (in PostgreSQL, shared by every node) keeps only that key's id, and {@link SessionKeyRepository} checks the
 * key again on every request. State-changing requests carry Spring Security's CSRF token (htmx sends it as a header).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    /** Only scripts and styles served by the application; htmx is configured not to inject its own styles. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
            + "frame-ancestors 'none'";

    /** Last: it matches every path. */
    @Bean
    @Order(3)
    SecurityFilterChain consoleSecurity(HttpSecurity http, Authenticator authenticator) throws Exception {
        SessionKeyRepository sessionKeys = new SessionKeyRepository(authenticator);
        CsrfTokenRepository csrfTokens = new HttpSessionCsrfTokenRepository();
        SignInFilter signIn = new SignInFilter(authenticator, sessionKeys, new CompositeSessionAuthenticationStrategy(
                List.of(new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(csrfTokens))));
        LoginUrlAuthenticationEntryPoint toSignIn = new LoginUrlAuthenticationEntryPoint(SignInFilter.PATH);
        return http
                .securityContext(context -> context.securityContextRepository(sessionKeys))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .requestCache(cache -> cache.disable())
                .logout(logout -> logout
                        .logoutUrl("/sign-out")
                        .logoutSuccessUrl(SignInFilter.PATH + "?signed-out")
                        .deleteCookies(ConsoleWebConfiguration.SESSION_COOKIE))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(SignInFilter.PATH, "/console/**", "/webjars/**", "/error", "/favicon.ico")
                        .permitAll()
                        .anyRequest().authenticated())
                .addFilterAt(signIn, UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            String ended = SessionKeyRepository.endedBecause(request);
                            if (request.getHeader("HX-Request") != null) {
                                // htmx would swap the sign-in page into a fragment; it follows this header instead.
                                response.setHeader("HX-Redirect", SignInFilter.PATH
                                        + (ended == null ? "" : "?ended=" + ended));
                                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                            } else if (ended != null) {
                                response.sendRedirect(SignInFilter.PATH + "?ended=" + ended);
                            } else {
                                toSignIn.commence(request, response, e);
                            }
                        })
                        // A missing or stale CSRF token too: the error page says to reload.
                        .accessDeniedHandler((request, response, e) ->
                                response.sendError(HttpServletResponse.SC_FORBIDDEN)))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }
}
