package keyquota.domain.service;

import java.util.List;

/** A cloud service whose usage keyquota meters, and the resources it meters, in the order they are shown. */
public record CloudService(String service, String name, List<String> resources) {

    public CloudService {
        resources = List.copyOf(resources);
    }
}
