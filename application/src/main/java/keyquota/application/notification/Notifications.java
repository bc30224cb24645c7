package keyquota.application.notification;

import keyquota.application.auth.Forbidden;
import keyquota.application.auth.Principal;
import keyquota.domain.InvalidValue;
import keyquota.projections.notification.NotificationStore;
import org.springframework.stereotype.Service;

import java.util.Arrays;

/** The in-app list: members see their own, tenant admins also their project's, the operator all. */
@Service
public class Notifications {

    private final NotificationStore store;

    public Notifications(NotificationStore store) {
        this.store = store;
    }

    /** Whose notifications a caller reads: a project (or all) and a member (or all of the project's). */
    private record Scope(String reader, String projectId, String userId) {
    }

    /** @param type only this type, or null for all */
    public NotificationStore.Page list(Principal principal, String type, int limit, String cursor) {
        if (type != null && Arrays.stream(NotificationType.values()).noneMatch(known -> known.name().equals(type))) {
            throw new InvalidValue("type", "is not a notification type");
        }
        Scope scope = scopeOf(principal);
        return store.page(scope.projectId(), scope.userId(), type, limit, cursor);
    }

    /** Those the caller has not seen yet in the console. */
    public long unread(Principal principal) {
        Scope scope = scopeOf(principal);
        return store.unread(scope.reader(), scope.projectId(), scope.userId());
    }

    public void seen(Principal principal, long position) {
        store.seen(scopeOf(principal).reader(), position);
    }

    private static Scope scopeOf(Principal principal) {
        if (principal instanceof Principal.Member member) {
            return new Scope(member.projectId() + "/" + member.userId(), member.projectId(),
                    member.isTenantAdmin() ? null : member.userId());
        }
        if (principal instanceof Principal.Operator) {
            return new Scope("operator", null, null);
        }
        throw new Forbidden("A service key has no notifications.");
    }
}
