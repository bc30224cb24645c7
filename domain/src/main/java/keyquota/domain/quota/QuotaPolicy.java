package keyquota.domain.quota;

import keyquota.domain.DomainException;
import keyquota.domain.ErrorCode;
import keyquota.domain.InvalidValue;
import keyquota.domain.service.CloudService;

import java.util.LinkedHashMap;
import java.util.Map;

/** The quota rules, each named as it reads in the contract. -1 is unlimited. */
public final class QuotaPolicy {

    public static final long UNLIMITED = -1;

    private QuotaPolicy() {
    }

    /** A quota names one or more resources of the service, each -1 or at least 0. */
    public static void checkQuotaValues(CloudService service, Map<String, Long> quota) {
        checkQuotaValues(service, quota, "quota");
    }

    /** @param field the name the caller gave the quota (a quota request calls it {@code resources}) */
    public static void checkQuotaValues(CloudService service, Map<String, Long> quota, String field) {
        if (quota == null || quota.isEmpty()) {
            throw new InvalidValue(field, "must name at least one resource");
        }
        quota.forEach((resource, value) -> {
            ensureResourceOf(service, field, resource);
            if (value == null || value < UNLIMITED) {
                throw new InvalidValue(field + "." + resource, "must be -1 (unlimited) or at least 0");
            }
        });
    }

    /** An allocation names one or more resources with amounts of at least 0, one of them above 0. */
    public static void checkAllocationAmounts(CloudService service, Map<String, Long> resources) {
        if (resources == null || resources.isEmpty()) {
            throw new InvalidValue("resources", "must name at least one resource");
        }
        resources.forEach((resource, amount) -> {
            ensureResourceOf(service, "resources", resource);
            if (amount == null || amount < 0) {
                throw new InvalidValue("resources." + resource, "must be at least 0");
            }
        });
        if (resources.values().stream().allMatch(amount -> amount == 0)) {
            throw new InvalidValue("resources", "must ask for more than 0 of at least one resource");
        }
    }

    /** Usage plus the request stays within the quota, or QUOTA_EXCEEDED says whose, what and how much is left. */
    public static void ensureRoom(Scope scope, String resource, long quota, long usage, long requested) {
        if (quota != UNLIMITED && requested > quota - usage) {
            long available = Math.max(0, quota - usage);
            throw new DomainException(ErrorCode.QUOTA_EXCEEDED,
                    "The " + scope.name().toLowerCase() + " quota of " + resource + " has " + available
                            + " available; " + requested + " was requested.",
                    Map.of("scope", scope.name(), "resource", resource, "requested", requested,
                            "available", available));
        }
    }

    /** Usage plus the request still fits a long (it can only overflow under an unlimited quota). */
    public static void ensureNoOverflow(String resource, long usage, long requested) {
        if (requested > Long.MAX_VALUE - usage) {
            throw new InvalidValue("resources." + resource, "is too large");
        }
    }

    public static boolean isBelow(long quota, long amount) {
        return quota != UNLIMITED && quota < amount;
    }

    public static void ensureNotBelowUsage(String whose, String resource, long quota, long usage,
                                           Map<String, Range> acceptable) {
        if (isBelow(quota, usage)) {
            throw new DomainException(ErrorCode.QUOTA_BELOW_USAGE,
                    "The " + whose + " quota of " + resource + " would be " + quota + ", below the usage of "
                            + usage + "; use force=true to set it anyway.",
                    Map.of("resource", resource, "usage", usage, "acceptable", acceptable));
        }
    }

    public static void ensureNotAboveProject(String resource, long memberQuota, long projectQuota,
                                             Map<String, Range> acceptable) {
        if (projectQuota != UNLIMITED && memberQuota != UNLIMITED && memberQuota > projectQuota) {
            throw new DomainException(ErrorCode.QUOTA_ABOVE_PROJECT,
                    "A member quota of " + resource + " may be at most the project quota of " + projectQuota + ".",
                    Map.of("resource", resource, "projectQuota", projectQuota, "acceptable", acceptable));
        }
    }

    /** The given values over the current ones, for every resource of the service, in catalog order. */
    static Map<String, Long> merged(CloudService service, Map<String, Long> current, Map<String, Long> changes,
                                    long absent) {
        Map<String, Long> result = new LinkedHashMap<>();
        for (String resource : service.resources()) {
            result.put(resource, changes.getOrDefault(resource, current.getOrDefault(resource, absent)));
        }
        return result;
    }

    private static void ensureResourceOf(CloudService service, String field, String resource) {
        if (!service.resources().contains(resource)) {
            throw new InvalidValue(field + "." + resource, "is not a resource of " + service.service());
        }
    }
}
