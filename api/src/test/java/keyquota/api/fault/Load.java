package keyquota.api.fault;

import keyquota.api.support.Api;
import keyquota.api.support.node.ServiceNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Client threads sending key creations and deletions (operator key) and allocations and releases (service key)
 * on one project, spread over the nodes they are given. Each thread works for a member of its own, owns that
 * member's keys and its own allocations, so it knows what it may delete or release; it chooses with a random of
 * fixed seed. It releases before it holds more than 8 allocations and deletes before its member holds more than
 * 4 keys, so neither the quota nor the key limit is what refuses a command.
 */
final class Load {

    static final String SERVICE = "CCS";

    /** However the test goes, the load stops by itself after this long. */
    private static final Duration LONGEST = Duration.ofMinutes(3);

    private final Ledger ledger;
    private final String project;
    private final String operatorKey;
    private final String serviceKey;
    private final Supplier<List<ServiceNode>> targets;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private volatile long deadline;
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    /**
     * @param keys    the keys each member already holds (the setup made them), by member
     * @param targets the nodes to send to now; asked before every request, so a node can be taken out
     */
    Load(Ledger ledger, String project, String operatorKey, String serviceKey, int threadCount,
         Map<String, List<String>> keys, Supplier<List<ServiceNode>> targets) {
        this.ledger = ledger;
        this.project = project;
        this.operatorKey = operatorKey;
        this.serviceKey = serviceKey;
        this.targets = targets;
        for (int t = 0; t < threadCount; t++) {
            Worker worker = new Worker(t, member(t), keys);
            Thread thread = new Thread(worker, "load-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    /** The member thread t works for. */
    static String member(int thread) {
        return "w" + thread;
    }

    void start() {
        deadline = System.nanoTime() + LONGEST.toNanos();
        threads.forEach(Thread::start);
    }

    /** Stops sending and waits for every thread's last request to be answered (or to time out). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(ServiceNode.REQUEST_TIMEOUT.toMillis() + 10_000);
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " still waiting for an answer");
            }
        }
        if (!failures.isEmpty()) {
            AssertionError failed = new AssertionError("a load thread failed");
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
    }

    private final class Worker implements Runnable {

        private final int index;
        private final Random random;
        private final String member;
        private final List<String> liveKeys;
        private final List<String> liveAllocations = new ArrayList<>();
        private int requests;
        private int allocationCount;

        Worker(int index, String member, Map<String, List<String>> keys) {
            this.index = index;
            this.random = new Random(7919L * (index + 1));
            this.member = member;
            this.liveKeys = new ArrayList<>(keys.getOrDefault(member, List.of()));
        }

        @Override
        public void run() {
            try {
                while (running.get() && System.nanoTime() < deadline) {
                    List<ServiceNode> nodes = targets.get();
                    ServiceNode node = nodes.get((index + requests++) % nodes.size());
                    if (random.nextInt(10) < 3) {
                        keyCommand(node);
                    } else {
                        allocationCommand(node);
                    }
                }
            } catch (RuntimeException | Error e) {
                failures.add(e);
            }
        }

        private void keyCommand(ServiceNode node) {
            if (liveKeys.size() < 2 || (liveKeys.size() < 4 && random.nextBoolean())) {
                Ledger.Result created = ledger.send(node, Ledger.Op.CREATE_KEY, member, "POST",
                        "/api/v1/projects/" + project + "/keys", operatorKey,
                        Api.json("userId", member, "name", "load"));
                switch (created.outcome()) {
                    case ACKNOWLEDGED -> {
                        String keyId = created.response().text("keyId");
                        ledger.keys.put(keyId, member);
                        liveKeys.add(keyId);
                    }
                    case UNKNOWN -> ledger.unknownKeyCreations.incrementAndGet();
                    case REFUSED -> {
                    }
                }
            } else {
                String keyId = liveKeys.get(random.nextInt(liveKeys.size()));
                Ledger.Result deleted = ledger.send(node, Ledger.Op.DELETE_KEY, keyId, "DELETE",
                        "/api/v1/projects/" + project + "/keys/" + keyId, operatorKey, null);
                switch (deleted.outcome()) {
                    case ACKNOWLEDGED -> {
                        ledger.deletedKeys.add(keyId);
                        liveKeys.remove(keyId);
                    }
                    case UNKNOWN -> {
                        ledger.unknownDeletions.add(keyId);
                        liveKeys.remove(keyId);
                    }
                    case REFUSED -> ledger.refusedDeletions.add(keyId);
                }
            }
        }

        private void allocationCommand(ServiceNode node) {
            String path = "/api/v1/projects/" + project + "/quotas/" + SERVICE + "/allocations";
            if (liveAllocations.size() < 3 || (liveAllocations.size() < 8 && random.nextBoolean())) {
                String allocationId = "a-" + run + "-" + index + "-" + allocationCount++;
                Ledger.Allocation allocation = new Ledger.Allocation(member, 1 + random.nextInt(3));
                Ledger.Result allocated = ledger.send(node, Ledger.Op.ALLOCATE, allocationId, "POST", path,
                        serviceKey, body(allocationId, allocation));
                switch (allocated.outcome()) {
                    case ACKNOWLEDGED -> {
                        ledger.allocations.put(allocationId, allocation);
                        liveAllocations.add(allocationId);
                    }
                    case UNKNOWN -> ledger.unknownAllocations.put(allocationId, allocation);
                    case REFUSED -> ledger.refusedAllocations.add(allocationId);
                }
            } else {
                String allocationId = liveAllocations.get(random.nextInt(liveAllocations.size()));
                Ledger.Result released = ledger.send(node, Ledger.Op.RELEASE, allocationId, "DELETE",
                        path + "/" + allocationId, serviceKey, null);
                switch (released.outcome()) {
                    case ACKNOWLEDGED -> {
                        ledger.releasedAllocations.add(allocationId);
                        liveAllocations.remove(allocationId);
                    }
                    case UNKNOWN -> {
                        ledger.unknownReleases.add(allocationId);
                        liveAllocations.remove(allocationId);
                    }
                    case REFUSED -> ledger.refusedReleases.add(allocationId);
                }
            }
        }
    }

    static String body(String allocationId, Ledger.Allocation allocation) {
        return Api.json("allocationId", allocationId, "userId", allocation.userId(),
                "resources", Map.of("cpu", allocation.cpu()));
    }
}
