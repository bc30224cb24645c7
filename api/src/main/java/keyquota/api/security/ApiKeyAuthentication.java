package keyquota.api.security;

import keyquota.application.auth.Principal;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** An authenticated request: the principal its x-api-key names. The secret itself is not kept. */
public class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final Principal principal;

    public ApiKeyAuthentication(Principal principal) {
        super(AuthorityUtils.NO_AUTHORITIES);
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Principal getPrincipal() {
        return principal;
    }
}
