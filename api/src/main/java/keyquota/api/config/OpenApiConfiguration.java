package keyquota.api.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description at /v3/api-docs, including the choices the contract leaves open. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String DESCRIPTION = """
            API key and resource quota management for a research cloud. Every request except health checks and \
            this description carries `x-api-key`. Errors are RFC 9457 problem details with a `code`.

            Where the contract is silent:
            - A tenant user's key list holds only their own keys; filtering on another userId gives an empty page.
            - Key lists are ordered oldest first; `limit` is 1-100, default 20; `nextCursor` is null on the last \
            page. A cursor is opaque.
            - A key created without `name` has a null name.
            - Bulk delete answers once per distinct key id, in request order; an id the caller may not see is \
            NOT_FOUND, as is one listed twice after its first deletion.
            - A service key's `service` is `CCS`, `VCS`, or absent for all services; service keys do not expire.
            - Verification reports the key's identity whenever the key exists (also EXPIRED and REVOKED).
            - Setting a member's current role again changes nothing and deletes no keys.
            - Request bodies above 64 KiB are refused with 413 (`keyquota.max-body-bytes`).
            """;

    @Bean
    OpenAPI keyquotaOpenApi() {
        return new OpenAPI()
                .info(new Info().title("keyquota").version("1").description(DESCRIPTION))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("x-api-key")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
