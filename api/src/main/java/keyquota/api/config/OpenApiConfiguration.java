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
            - Every answer carries `X-Correlation-Id` (the caller's, when it is 1-64 of `A-Za-z0-9._-`, else a new \
            one); the events the request caused carry it too, and so do their audit entries (`correlationId`).

            Quotas:
            - `force` and `dryRun` are also taken when the operator sets a project quota. Lowering a project quota \
            below a member's quota is 409 QUOTA_ABOVE_PROJECT unless `force=true`; a member quota above the \
            project quota is refused even with `force`.
            - A dry run that would succeed answers 200 with `acceptable`; one that would fail answers the same 409 \
            as the real request, with `acceptable` in the problem. In a range, `max: -1` means no upper bound; \
            -1 (unlimited) is always acceptable for a member.
            - Setting the values a quota already has records nothing.
            - `allocationId` is 1-128 of `A-Za-z0-9._:-`. An allocation id is remembered while it is allocated \
            and after its release (for the 1,000 most recent releases of the project and service), so sending it \
            again answers the first allocation and never allocates twice. A new allocation answers 201 \
            `{allocationId, projectId, service, userId, resources, allocatedAt, usage: {member, project}}`, the \
            same id and body again 200 with that same answer.
            - A former member who still has usage keeps a row in the quota view, with `role: null`, until it is \
            released.
            - QUOTA_EXCEEDED carries `scope`, `resource`, `requested` and `available`; QUOTA_BELOW_USAGE and \
            QUOTA_ABOVE_PROJECT carry `resource` and `acceptable`.

            Quota requests:
            - `reason` is 1-500 characters, not blank; so is a rejection's `reason` and a forward's optional \
            `reason`. `resources` follow the rules of a member quota body (a resource of the service, -1 or at \
            least 0). `userId` must be a current member (404 MEMBER_NOT_FOUND); a tenant user may name only \
            themselves (403). The operator, not being a member, does not make requests (403).
            - A request also shows `requestedBy` (the member who asked) and, once forwarded, `forwardedAt`, \
            `forwardedBy` and `forwardReason`. `decidedBy` is `{type: OPERATOR}` or `{type: MEMBER, userId}`, as \
            an audit entry names its actor; a cancellation fills `decidedAt` and `decidedBy` too.
            - The list is newest first; `limit` is 1-100, default 20; `nextCursor` is null on the last page.
            - A request the caller may not see (a tenant user's colleague's) is 404 NOT_FOUND, like an unknown or \
            malformed id; one they see but may not act on is 403. A tenant admin may cancel only what they asked \
            for themselves; the member a tenant admin asked for cannot cancel it.
            - Approval checks in this order: REQUEST_CLOSED, FORBIDDEN (a forwarded request and a tenant admin), then \
            the member quota rules of `PUT .../members/{userId}` without `force` (QUOTA_ABOVE_PROJECT, \
            QUOTA_BELOW_USAGE, MEMBER_NOT_FOUND). The operator's approval raises each project quota the request \
            exceeds to the value asked for. The decision and the quota change commit together or not at all.
            - REQUEST_CLOSED carries `requestStatus`, the status the request is in.

            Usage history:
            - History `from` and `to` are instants (`2026-12-01T00:00:00Z`); `step` is `HOUR` or `DAY`. Each of             `usage`, `peak` and `quota` holds every resource of the service. A member without a quota of their own             has quota -1. A series of a user id that has no history (or is not a member) is all 0 and -1.
            - A tenant user asking for another member's series gets 403 FORBIDDEN, as when asking for another             member's quota. An unknown service is 404 SERVICE_NOT_FOUND, as on every quota endpoint.
            - `usage.csv` rows are ordered by date, user id, then the service's resource order; `resourceHours` is a             decimal with up to 6 places; a member appears on a day when their usage was above 0 or they had a quota             of their own at some time that day. Days after today have no rows. Both endpoints take at most 400 days.

            Audit, replay and time travel:
            - Audit `from` is inclusive and `to` exclusive; entries are ordered by position, the event's place in \
            the event store, and appear once every earlier event has been through the audit log. A tenant admin \
            asking for another project gets 404 PROJECT_NOT_FOUND; a tenant user sees the entries about their \
            own keys and those of their own actions.
            - Read models that can be replayed: projects, members, keys, quotas, usage_history, quota_requests, audit. A replay \
            answers 202 with the state of every read model; a replay already running on some node is not started twice.
            - GET /api/v1/admin/dead-letters lists events a streaming read model parked after three attempts; \
            POST /api/v1/admin/dead-letters/retry retries them and answers `{retried, remaining}`.
            - `asOf` after now answers the current state; before the project (or key) existed, 404.
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
