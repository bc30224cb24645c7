package keyquota.domain.service;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;

import java.util.List;
import java.util.Optional;

/** The services and resources keyquota knows. Data, not code: a service or resource is added here alone. */
public record ServiceCatalog(List<CloudService> services) {

    public static final ServiceCatalog TWCC = new ServiceCatalog(List.of(
            new CloudService("CCS", "Container Compute Service", List.of("cpu", "gpu", "memory")),
            new CloudService("VCS", "Virtual Compute Service", List.of("cpu", "gpu", "memory", "floating_ip"))));

    public ServiceCatalog {
        services = List.copyOf(services);
    }

    public List<String> serviceNames() {
        return services.stream().map(CloudService::service).toList();
    }

    public Optional<CloudService> find(String service) {
        return services.stream().filter(s -> s.service().equals(service)).findFirst();
    }

    /** The service, or SERVICE_NOT_FOUND. */
    public CloudService service(String service) {
        return find(service).orElseThrow(
                () -> new DomainException(ErrorCode.SERVICE_NOT_FOUND, "Unknown service " + service + "."));
    }
}
