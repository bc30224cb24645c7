package keyquota.api.security;

import keyquota.api.error.ProblemWriter;
import keyquota.api.error.Problems;
import keyquota.api.ApiPaths;
import keyquota.application.auth.Authenticator;
import keyquota.application.auth.Principal;
import keyquota.application.auth.Verification;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The HTTP API, the actuator and the API description: every request needs an x-api-key except health checks and
 * the description; the rest of the actuator (metrics) needs the operator key, also as {@code Authorization: Bearer},
 * the form Prometheus's {@code authorization} scrape setting sends. Stateless: no session, no CSRF (a key in a header
 * is not sent by a browser on its own). Swagger UI has a chain of its own ({@code SwaggerUiSecurityConfiguration});
 * every other path is the console's ({@code ConsoleSecurityConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, Authenticator authenticator, ProblemWriter problems, Clock clock,
                                    RateLimits rateLimits) throws Exception {
        return http
                .securityMatcher(ApiPaths.PATTERNS)
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs",
                                "/v3/api-docs/**").permitAll()
                        // metrics and whatever else the actuator comes to expose: the operator's alone
                        .requestMatchers("/actuator/**").access((authentication, context) -> new AuthorizationDecision(
                                authentication.get().getPrincipal() instanceof Principal.Operator))
                        .anyRequest().authenticated())
                .addFilterBefore(new ApiKeyAuthenticationFilter(authenticator, problems, clock),
                        AnonymousAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(rateLimits, problems), ApiKeyAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> problems.write(response,
                                unauthenticated(request.getAttribute(ApiKeyAuthenticationFilter.FAILURE))))
                        .accessDeniedHandler((request, response, e) -> problems.write(response,
                                Problems.of(HttpStatus.FORBIDDEN, "FORBIDDEN", "Not allowed."))))
                .build();
    }

    /** An expired or disabled key is told so; any other refusal says only that a valid key is needed. */
    private static ProblemDetail unauthenticated(Object failure) {
        if (failure == Verification.Code.EXPIRED) {
            return Problems.of(HttpStatus.UNAUTHORIZED, "KEY_EXPIRED", "Key is expired.");
        }
        if (failure == Verification.Code.DISABLED) {
            return Problems.of(HttpStatus.UNAUTHORIZED, "KEY_DISABLED", "Key is disabled.");
        }
        return Problems.of(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "A valid x-api-key header is required.");
    }

    /** Keys are the only credentials; an empty user store stops Boot from generating a password. */
    /**
     * Spring Security would wrap each of its filters, and each authentication and authorization, in an observation
     * on every request: in JFR of the command benchmark about a tenth of the request threads' samples, with
     * observations that were off all the same. No dashboard or alert reads spring_security_*.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    UserDetailsService noUsers() {
        return new InMemoryUserDetailsManager();
    }
}
