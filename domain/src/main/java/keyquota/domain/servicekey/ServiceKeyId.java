package keyquota.domain.servicekey;

import java.util.UUID;

/** ':' appears in no project or user id, so a service key's aggregate id never clashes with theirs. */
public final class ServiceKeyId {

    private ServiceKeyId() {
    }

    public static String of(UUID keyId) {
        return "service-key:" + keyId;
    }
}
