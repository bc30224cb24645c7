package keyquota.api.audit;

import keyquota.api.support.Api;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scripted run of mixed commands through HTTP, driven by a seeded {@link Random}: projects, members, role
 * changes and removals, member keys (created, extended, deleted one by one and in bulk), service keys, project and
 * member quotas (some forced), allocations and releases, plus some commands that are rejected or change nothing.
 * <p>
 * Every request carries a correlation id of its own. A small model of the service predicts, for each request,
 * the events it must cause, in order (none for a rejected request or one that changes nothing), and who the
 * actor is; each answer is checked against the model as the run goes.
 */
final class ScriptedRun {

    /** Who sends a request: the key's principal as the audit log must name it, and the secret to send. */
    record Actor(String type, String userId, String keyId, String secret) {
    }

    /** An event a request must cause: its type, its project (null for a service key) and its subject. */
    record Expected(String type, String projectId, String subject) {
    }

    /** One request of the run and the events it must have caused, in order. */
    record Step(int index, String correlationId, String description, Actor actor, int status,
                List<Expected> events) {
    }

    @FunctionalInterface
    interface Caller {
        Api.Response call(String method, String path, String key, String json, String correlationId);
    }

    private static final Map<String, List<String>> RESOURCES = Map.of(
            "CCS", List.of("cpu", "gpu", "memory"),
            "VCS", List.of("cpu", "gpu", "memory", "floating_ip"));
    private static final List<String> SERVICES = List.of("CCS", "VCS");
    private static final List<String> USERS = List.of("u1", "u2", "u3", "u4", "u5", "u6");

    private record MemberKey(String keyId, String secret, String userId) {
    }

    private record ServiceKey(Actor actor, String service) {
    }

    private static final class Allocation {
        final String id;
        final String service;
        final String userId;
        final Map<String, Long> resources;
        boolean released;

        Allocation(String id, String service, String userId, Map<String, Long> resources) {
            this.id = id;
            this.service = service;
            this.userId = userId;
            this.resources = resources;
        }
    }

    private static final class Project {
        final String id;
        Actor boss;
        final Map<String, String> roles = new TreeMap<>();
        /** Live keys per user, in the order they were created (the order a membership deletes them in). */
        final Map<String, LinkedHashMap<String, MemberKey>> keys = new HashMap<>();
        final List<String> deletedKeyIds = new ArrayList<>();
        final Map<String, Map<String, Long>> projectQuota = new HashMap<>();
        final Map<String, Map<String, Map<String, Long>>> memberQuota = new HashMap<>();
        final List<Allocation> allocations = new ArrayList<>();

        Project(String id) {
            this.id = id;
        }

        LinkedHashMap<String, MemberKey> keysOf(String userId) {
            return keys.computeIfAbsent(userId, u -> new LinkedHashMap<>());
        }

        List<MemberKey> allKeys() {
            List<MemberKey> all = new ArrayList<>();
            keys.values().forEach(held -> all.addAll(held.values()));
            all.sort((a, b) -> a.keyId.compareTo(b.keyId));
            return all;
        }
    }

    private final Caller caller;
    private final Actor operator;
    private final Random random;
    final String runId = UUID.randomUUID().toString().substring(0, 8);
    final List<Step> steps = new ArrayList<>();
    final List<String> projectIds = new ArrayList<>();
    private final List<Project> projects = new ArrayList<>();
    private final List<ServiceKey> serviceKeys = new ArrayList<>();
    private final List<ServiceKey> extraServiceKeys = new ArrayList<>();
    private final List<String> deletedServiceKeyIds = new ArrayList<>();
    private int allocations;

    ScriptedRun(Caller caller, String operatorSecret, String operatorKeyId, long seed) {
        this.caller = caller;
        this.operator = new Actor("OPERATOR", null, operatorKeyId, operatorSecret);
        this.random = new Random(seed);
    }

    String correlationPrefix() {
        return "run-" + runId + "-";
    }

    /** Sets up two projects with a tenant admin each and three service keys, then runs this many commands. */
    ScriptedRun run(int commands) {
        for (String suffix : List.of("a", "b")) {
            Project project = new Project("RUN-" + runId + "-" + suffix);
            createProject(project);
            projects.add(project);
            projectIds.add(project.id);
        }
        serviceKeys.add(createServiceKey("CCS"));
        serviceKeys.add(createServiceKey("VCS"));
        serviceKeys.add(createServiceKey(null));
        while (steps.size() < commands) {
            Project project = projects.get(random.nextInt(projects.size()));
            int dice = random.nextInt(100);
            if (dice < 12) {
                setRole(project);
            } else if (dice < 17) {
                removeMember(project);
            } else if (dice < 35) {
                createKey(project);
            } else if (dice < 44) {
                extendKey(project);
            } else if (dice < 51) {
                deleteKey(project);
            } else if (dice < 55) {
                bulkDelete(project);
            } else if (dice < 63) {
                setProjectQuota(project);
            } else if (dice < 71) {
                setMemberQuota(project);
            } else if (dice < 87) {
                allocate(project);
            } else if (dice < 95) {
                release(project);
            } else if (dice < 97) {
                serviceKeyChange();
            } else {
                forbiddenAttempt(project);
            }
        }
        return this;
    }

    /** The steps that changed something, in order. */
    List<Step> changes() {
        return steps.stream().filter(step -> !step.events().isEmpty()).toList();
    }

    // ---- setup ------------------------------------------------------------------------------------------------

    private void createProject(Project project) {
        Api.Response created = send("create project " + project.id, operator, "POST", "/api/v1/projects",
                Api.json("projectId", project.id, "name", "Scripted " + project.id), 201,
                List.of(new Expected("ProjectCreated", project.id, "project/" + project.id)));
        assertThat(created.text("projectId")).isEqualTo(project.id);
        send("boss joins " + project.id, operator, "PUT", members(project) + "/boss",
                Api.json("role", "TENANT_ADMIN"), 200, List.of(memberEvent("MemberJoined", project, "boss")));
        Api.Response key = request(operator, "POST", keys(project), Api.json("userId", "boss", "name", "boss"));
        assertThat(key.status()).as(key.raw()).isEqualTo(201);
        record("key for boss", operator, key, List.of(keyEvent("KeyCreated", project, key.text("keyId"))));
        project.boss = new Actor("MEMBER", "boss", key.text("keyId"), key.text("key"));
    }

    private ServiceKey createServiceKey(String service) {
        Api.Response created = request(operator, "POST", "/api/v1/service-keys",
                service == null ? Api.json("name", "svc-all") : Api.json("name", "svc-" + service, "service", service));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String keyId = created.text("keyId");
        record("service key " + service, operator, created,
                List.of(new Expected("ServiceKeyCreated", null, "service-key/" + keyId)));
        return new ServiceKey(new Actor("SERVICE", null, keyId, created.text("key")), service);
    }

    // ---- members ----------------------------------------------------------------------------------------------

    private void setRole(Project project) {
        String user = pick(USERS);
        String role = random.nextInt(10) < 7 ? "TENANT_USER" : "TENANT_ADMIN";
        Actor actor = admin(project);
        String current = project.roles.get(user);
        List<Expected> events = new ArrayList<>();
        if (current == null) {
            events.add(memberEvent("MemberJoined", project, user));
        } else if (!current.equals(role)) {
            for (MemberKey key : project.keysOf(user).values()) {
                events.add(keyEvent("KeyDeleted", project, key.keyId));
            }
            events.add(memberEvent("MemberRoleChanged", project, user));
        }
        send("set role of " + user + " to " + role, actor, "PUT", members(project) + "/" + user,
                Api.json("role", role), 200, events);
        if (current != null && !current.equals(role)) {
            dropKeys(project, user);
        }
        project.roles.put(user, role);
    }

    private void removeMember(Project project) {
        String user = pick(USERS);
        Actor actor = admin(project);
        if (!project.roles.containsKey(user)) {
            sendRejected("remove non-member " + user, actor, "DELETE", members(project) + "/" + user, null, 404,
                    "MEMBER_NOT_FOUND");
            return;
        }
        List<Expected> events = new ArrayList<>();
        for (MemberKey key : project.keysOf(user).values()) {
            events.add(keyEvent("KeyDeleted", project, key.keyId));
        }
        events.add(memberEvent("MemberRemoved", project, user));
        send("remove " + user, actor, "DELETE", members(project) + "/" + user, null, 204, events);
        dropKeys(project, user);
        project.roles.remove(user);
    }

    private void dropKeys(Project project, String user) {
        project.keysOf(user).values().forEach(key -> project.deletedKeyIds.add(key.keyId));
        project.keysOf(user).clear();
    }

    // ---- keys -------------------------------------------------------------------------------------------------

    private void createKey(Project project) {
        String user = pick(USERS);
        Actor self = ownKey(project, user);
        int choice = random.nextInt(3);
        Actor actor = choice == 0 && self != null ? self : choice == 1 ? project.boss : operator;
        int validDays = 1 + random.nextInt(365);
        String body = actor == self
                ? Api.json("name", "k" + steps.size(), "validDays", validDays)
                : Api.json("name", "k" + steps.size(), "validDays", validDays, "userId", user);
        String what = "create key for " + user + " by " + actor.type() + " " + actor.userId();
        if (!project.roles.containsKey(user)) {
            sendRejected(what, actor, "POST", keys(project), body, 404, "MEMBER_NOT_FOUND");
            return;
        }
        if (project.keysOf(user).size() >= 5) {
            sendRejected(what, actor, "POST", keys(project), body, 409, "KEY_LIMIT_REACHED");
            return;
        }
        Api.Response created = request(actor, "POST", keys(project), body);
        assertThat(created.status()).as(what + ": " + created.raw()).isEqualTo(201);
        assertThat(created.text("userId")).isEqualTo(user);
        String keyId = created.text("keyId");
        record(what, actor, created, List.of(keyEvent("KeyCreated", project, keyId)));
        project.keysOf(user).put(keyId, new MemberKey(keyId, created.text("key"), user));
    }

    private void extendKey(Project project) {
        List<MemberKey> all = project.allKeys();
        if (all.isEmpty()) {
            createKey(project);
            return;
        }
        MemberKey key = pick(all);
        Actor actor = keyActor(project, key);
        int days = 1 + random.nextInt(365);
        Api.Response extended = request(actor, "POST", keys(project) + "/" + key.keyId + "/extend",
                Api.json("days", days));
        String what = "extend " + key.keyId + " by " + days;
        if (extended.status() == 409) {
            assertThat(extended.code()).as(what + ": " + extended.raw()).isEqualTo("EXPIRY_TOO_FAR");
            record(what, actor, extended, List.of());
        } else {
            assertThat(extended.status()).as(what + ": " + extended.raw()).isEqualTo(200);
            record(what, actor, extended, List.of(keyEvent("KeyExtended", project, key.keyId)));
        }
    }

    private void deleteKey(Project project) {
        List<MemberKey> all = project.allKeys();
        if (all.isEmpty() || random.nextInt(10) == 0 && !project.deletedKeyIds.isEmpty()) {
            if (project.deletedKeyIds.isEmpty()) {
                createKey(project);
                return;
            }
            sendRejected("delete a deleted key", random.nextBoolean() ? operator : project.boss, "DELETE",
                    keys(project) + "/" + pick(project.deletedKeyIds), null, 404, "KEY_NOT_FOUND");
            return;
        }
        MemberKey key = pick(all);
        Actor actor = keyActor(project, key);
        send("delete " + key.keyId, actor, "DELETE", keys(project) + "/" + key.keyId, null, 204,
                List.of(keyEvent("KeyDeleted", project, key.keyId)));
        project.keysOf(key.userId).remove(key.keyId);
        project.deletedKeyIds.add(key.keyId);
    }

    private void bulkDelete(Project project) {
        List<MemberKey> all = new ArrayList<>(project.allKeys());
        java.util.Collections.shuffle(all, random);
        List<MemberKey> chosen = all.subList(0, Math.min(all.size(), 1 + random.nextInt(3)));
        List<String> ids = new ArrayList<>();
        List<Expected> events = new ArrayList<>();
        for (MemberKey key : chosen) {
            ids.add(key.keyId);
            events.add(keyEvent("KeyDeleted", project, key.keyId));
        }
        ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
        Actor actor = random.nextBoolean() ? operator : project.boss;
        Api.Response deleted = send("bulk delete " + ids, actor, "POST", keys(project) + "/delete",
                Api.json("keyIds", ids), 200, events);
        List<String> results = new ArrayList<>();
        for (JsonNode result : deleted.body().path("results").values()) {
            results.add(result.path("keyId").asString() + "=" + result.path("result").asString());
        }
        List<String> expected = new ArrayList<>();
        for (String id : ids) {
            expected.add(id + "=" + (id.equals(ids.get(ids.size() - 1)) ? "NOT_FOUND" : "DELETED"));
        }
        assertThat(results).as(deleted.raw()).isEqualTo(expected);
        for (MemberKey key : chosen) {
            project.keysOf(key.userId).remove(key.keyId);
            project.deletedKeyIds.add(key.keyId);
        }
    }

    // ---- service keys -----------------------------------------------------------------------------------------

    private void serviceKeyChange() {
        if (extraServiceKeys.isEmpty() || random.nextInt(3) == 0) {
            extraServiceKeys.add(createServiceKey(random.nextBoolean() ? pick(SERVICES) : null));
        } else if (random.nextInt(4) == 0 && !deletedServiceKeyIds.isEmpty()) {
            sendRejected("delete a deleted service key", operator, "DELETE",
                    "/api/v1/service-keys/" + pick(deletedServiceKeyIds), null, 404, "KEY_NOT_FOUND");
        } else {
            ServiceKey key = extraServiceKeys.remove(random.nextInt(extraServiceKeys.size()));
            send("delete service key " + key.actor().keyId(), operator, "DELETE",
                    "/api/v1/service-keys/" + key.actor().keyId(), null, 204,
                    List.of(new Expected("ServiceKeyDeleted", null, "service-key/" + key.actor().keyId())));
            deletedServiceKeyIds.add(key.actor().keyId());
        }
    }

    // ---- quotas -----------------------------------------------------------------------------------------------

    private void setProjectQuota(Project project) {
        String service = pick(SERVICES);
        Map<String, Long> quota = someResources(service, () -> random.nextInt(12) == 0 ? -1L : random.nextInt(41));
        boolean force = random.nextInt(6) == 0;
        String path = quotas(project) + "/" + service + (force ? "?force=true" : "");
        String what = "project quota " + service + " " + quota + (force ? " forced" : "");
        Api.Response set = request(operator, "PUT", path, Api.json("quota", quota));
        if (set.status() == 409) {
            assertThat(set.code()).as(what + ": " + set.raw()).isIn("QUOTA_BELOW_USAGE", "QUOTA_ABOVE_PROJECT");
            record(what, operator, set, List.of());
            return;
        }
        assertThat(set.status()).as(what + ": " + set.raw()).isEqualTo(200);
        Map<String, Long> current = project.projectQuota.computeIfAbsent(service, s -> new HashMap<>());
        boolean changed = quota.entrySet().stream()
                .anyMatch(entry -> !entry.getValue().equals(current.getOrDefault(entry.getKey(), 0L)));
        record(what, operator, set, changed
                ? List.of(new Expected("ProjectQuotaSet", project.id, "quota/" + service)) : List.of());
        current.putAll(quota);
    }

    private void setMemberQuota(Project project) {
        String user = pick(USERS);
        String service = pick(SERVICES);
        Map<String, Long> quota = someResources(service, () -> random.nextInt(6) == 0 ? -1L : random.nextInt(21));
        boolean force = random.nextInt(6) == 0;
        Actor actor = admin(project);
        String path = quotas(project) + "/" + service + "/members/" + user + (force ? "?force=true" : "");
        String what = "member quota " + user + " " + service + " " + quota + (force ? " forced" : "");
        if (!project.roles.containsKey(user)) {
            sendRejected(what, actor, "PUT", path, Api.json("quota", quota), 404, "MEMBER_NOT_FOUND");
            return;
        }
        Api.Response set = request(actor, "PUT", path, Api.json("quota", quota));
        if (set.status() == 409) {
            assertThat(set.code()).as(what + ": " + set.raw()).isIn("QUOTA_BELOW_USAGE", "QUOTA_ABOVE_PROJECT");
            record(what, actor, set, List.of());
            return;
        }
        assertThat(set.status()).as(what + ": " + set.raw()).isEqualTo(200);
        Map<String, Long> current = project.memberQuota.computeIfAbsent(service, s -> new HashMap<>())
                .computeIfAbsent(user, u -> new HashMap<>());
        boolean changed = quota.entrySet().stream()
                .anyMatch(entry -> !entry.getValue().equals(current.getOrDefault(entry.getKey(), -1L)));
        record(what, actor, set, changed ? List.of(new Expected("MemberQuotaSet", project.id,
                "quota/" + service + "/member/" + user)) : List.of());
        current.putAll(quota);
    }

    private void allocate(Project project) {
        int dice = random.nextInt(20);
        if (dice < 4 && !project.allocations.isEmpty()) {
            Allocation earlier = pick(project.allocations);
            boolean same = dice < 3;
            Map<String, Long> resources = same ? earlier.resources : Map.of(
                    RESOURCES.get(earlier.service).get(0), earlier.resources.values().stream()
                            .mapToLong(Long::longValue).sum() + 1);
            Actor actor = usageReporter(earlier.service);
            String path = quotas(project) + "/" + earlier.service + "/allocations";
            String body = Api.json("allocationId", earlier.id, "userId", earlier.userId, "resources", resources);
            String what = (same ? "repeat " : "conflicting repeat ") + earlier.id;
            if (!project.roles.containsKey(earlier.userId)) {
                sendRejected(what, actor, "POST", path, body, 404, "MEMBER_NOT_FOUND");
            } else if (same) {
                send(what, actor, "POST", path, body, 200, List.of());
            } else {
                sendRejected(what, actor, "POST", path, body, 409, "IDEMPOTENCY_CONFLICT");
            }
            return;
        }
        String service = pick(SERVICES);
        String user = pick(USERS);
        Map<String, Long> resources = someResources(service, () -> (long) random.nextInt(6));
        if (resources.values().stream().allMatch(amount -> amount == 0)) {
            resources.put(RESOURCES.get(service).get(0), 1L);
        }
        String id = "alloc-" + runId + "-" + (++allocations);
        Actor actor = usageReporter(service);
        String path = quotas(project) + "/" + service + "/allocations";
        String body = Api.json("allocationId", id, "userId", user, "resources", resources);
        String what = "allocate " + id + " " + user + " " + service + " " + resources;
        if (!project.roles.containsKey(user)) {
            sendRejected(what, actor, "POST", path, body, 404, "MEMBER_NOT_FOUND");
            return;
        }
        Api.Response allocated = request(actor, "POST", path, body);
        if (allocated.status() == 409) {
            assertThat(allocated.code()).as(what + ": " + allocated.raw()).isEqualTo("QUOTA_EXCEEDED");
            record(what, actor, allocated, List.of());
            return;
        }
        assertThat(allocated.status()).as(what + ": " + allocated.raw()).isEqualTo(201);
        record(what, actor, allocated,
                List.of(new Expected("UsageAllocated", project.id, "allocation/" + service + "/" + id)));
        project.allocations.add(new Allocation(id, service, user, resources));
    }

    private void release(Project project) {
        if (project.allocations.isEmpty() || random.nextInt(15) == 0) {
            String service = pick(SERVICES);
            sendRejected("release unknown", usageReporter(service), "DELETE",
                    quotas(project) + "/" + service + "/allocations/never-" + runId + "-" + steps.size(), null, 404,
                    "ALLOCATION_NOT_FOUND");
            return;
        }
        Allocation allocation = pick(project.allocations);
        String path = quotas(project) + "/" + allocation.service + "/allocations/" + allocation.id;
        send("release " + allocation.id, usageReporter(allocation.service), "DELETE", path, null, 204,
                allocation.released ? List.of() : List.of(new Expected("UsageReleased", project.id,
                        "allocation/" + allocation.service + "/" + allocation.id)));
        allocation.released = true;
    }

    /** Requests the principal may not make: refused, and nothing changes. */
    private void forbiddenAttempt(Project project) {
        int dice = random.nextInt(3);
        if (dice == 0) {
            sendRejected("tenant admin sets a project quota", project.boss, "PUT", quotas(project) + "/CCS",
                    Api.json("quota", Map.of("cpu", 1)), 403, "FORBIDDEN");
        } else if (dice == 1) {
            ServiceKey ccs = serviceKeys.get(0);
            sendRejected("CCS key reports VCS usage", ccs.actor(), "POST", quotas(project) + "/VCS/allocations",
                    Api.json("allocationId", "x-" + runId + "-" + steps.size(), "userId", "boss",
                            "resources", Map.of("cpu", 1)), 403, "FORBIDDEN");
        } else {
            sendRejected("service key removes a member", serviceKeys.get(2).actor(), "DELETE",
                    members(project) + "/boss", null, 403, "FORBIDDEN");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Map<String, Long> someResources(String service, java.util.function.Supplier<Long> value) {
        Map<String, Long> chosen = new LinkedHashMap<>();
        for (String resource : RESOURCES.get(service)) {
            if (random.nextInt(2) == 0) {
                chosen.put(resource, value.get());
            }
        }
        if (chosen.isEmpty()) {
            chosen.put(RESOURCES.get(service).get(random.nextInt(RESOURCES.get(service).size())), value.get());
        }
        return chosen;
    }

    private Actor admin(Project project) {
        return random.nextBoolean() ? operator : project.boss;
    }

    private Actor usageReporter(String service) {
        int dice = random.nextInt(4);
        if (dice == 0) {
            return operator;
        }
        if (dice == 1) {
            return serviceKeys.get(2).actor();
        }
        return serviceKeys.get(SERVICES.indexOf(service)).actor();
    }

    /** A live key of the user, to act with as that member, or null. */
    private Actor ownKey(Project project, String user) {
        List<MemberKey> held = new ArrayList<>(project.keysOf(user).values());
        if (held.isEmpty()) {
            return null;
        }
        MemberKey key = held.get(random.nextInt(held.size()));
        return new Actor("MEMBER", user, key.keyId, key.secret);
    }

    /** Who acts on a member's key: the owner (with one of their keys), the project's tenant admin, or the operator. */
    private Actor keyActor(Project project, MemberKey key) {
        int dice = random.nextInt(3);
        if (dice == 0) {
            return ownKey(project, key.userId);
        }
        return dice == 1 ? project.boss : operator;
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static String members(Project project) {
        return "/api/v1/projects/" + project.id + "/members";
    }

    private static String keys(Project project) {
        return "/api/v1/projects/" + project.id + "/keys";
    }

    private static String quotas(Project project) {
        return "/api/v1/projects/" + project.id + "/quotas";
    }

    private static Expected memberEvent(String type, Project project, String user) {
        return new Expected(type, project.id, "member/" + user);
    }

    private static Expected keyEvent(String type, Project project, String keyId) {
        return new Expected(type, project.id, "key/" + keyId);
    }

    private String nextCorrelationId() {
        return correlationPrefix() + steps.size();
    }

    private String pendingCorrelationId;

    private Api.Response request(Actor actor, String method, String path, String json) {
        pendingCorrelationId = nextCorrelationId();
        return caller.call(method, path, actor.secret(), json, pendingCorrelationId);
    }

    private void record(String what, Actor actor, Api.Response response, List<Expected> events) {
        steps.add(new Step(steps.size(), pendingCorrelationId, what, actor, response.status(), List.copyOf(events)));
    }

    private Api.Response send(String what, Actor actor, String method, String path, String json, int status,
                              List<Expected> events) {
        Api.Response response = request(actor, method, path, json);
        assertThat(response.status()).as(what + ": " + response.raw()).isEqualTo(status);
        record(what, actor, response, events);
        return response;
    }

    private void sendRejected(String what, Actor actor, String method, String path, String json, int status,
                              String code) {
        Api.Response response = request(actor, method, path, json);
        assertThat(response.status()).as(what + ": " + response.raw()).isEqualTo(status);
        assertThat(response.code()).as(what + ": " + response.raw()).isEqualTo(code);
        record(what, actor, response, List.of());
    }
}
