package keyquota.domain.key;

import keyquota.domain.InvalidValue;
import keyquota.domain.service.ServiceCatalog;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The cloud services a key may be verified for: 1 or 2 distinct ones of the catalog's. */
public record KeyServices(List<String> services) {

    public static final String FIELD = "services";

    public KeyServices {
        services = List.copyOf(services);
    }

    /** The services as given, checked; null (every service) stays null. */
    public static KeyServices parse(List<String> given, ServiceCatalog catalog) {
        if (given == null) {
            return null;
        }
        Set<String> distinct = new LinkedHashSet<>(given);
        if (given.isEmpty() || distinct.size() != given.size() || !catalog.serviceNames().containsAll(distinct)) {
            throw new InvalidValue(FIELD, "must hold 1 to " + catalog.serviceNames().size()
                    + " distinct services of " + catalog.serviceNames());
        }
        return new KeyServices(List.copyOf(distinct));
    }

    public boolean allows(String service) {
        return service != null && services.contains(service);
    }
}
