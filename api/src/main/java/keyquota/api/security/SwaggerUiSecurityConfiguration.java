package keyquota.api.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Swagger UI (springdoc's, served from the jar): its page and assets need no key, as the description it shows
 * (/v3/api-docs, the API's chain) needs none; calls tried from it carry the x-api-key typed into it. Its own
 * chain, stateless and without the console's session, because it needs its own content security policy.
 */
@Configuration(proxyBeanMethods = false)
class SwaggerUiSecurityConfiguration {

    static final String[] PATHS = {"/swagger-ui.html", "/swagger-ui/**"};

    /**
     * The console's policy, but for inline styles: Swagger UI's bundle sets some (swagger-api/swagger-ui#10655).
     * Scripts stay the application's own files.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
            + "base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    @Bean
    @Order(2)
    SecurityFilterChain swaggerUiSecurity(HttpSecurity http) throws Exception {
        return http
                .securityMatcher(PATHS)
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }
}
