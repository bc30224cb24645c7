package keyquota.application.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import keyquota.projections.key.KeyView;
import keyquota.projections.key.VerificationLeases;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Keys as the hot path last read them, for at most {@link #TIME_TO_LIVE}: verification on every call of a cloud
 * service costs a memory lookup, not a database round trip.
 *
 * <p>"A deleted key stops authenticating at once, on every node, when its delete returns" holds without any
 * message between nodes. Before a node caches a key it takes a lease on it ({@link VerificationLeases}) and
 * reads it again; a request that ends keys' validity answers only once the leases on those keys have run out.
 * So a key that no node has verified lately is deleted without waiting, and one in use waits at most the
 * cache's lifetime. A node cut off from its database cannot serve a stale entry for longer either. Only keys
 * that exist are kept, so made-up keys do not fill it, and a key's expiry is judged at each use.
 */
@Component
public class VerificationCache {

    public static final Duration TIME_TO_LIVE = Duration.ofSeconds(1);
    private static final int MAXIMUM_KEYS = 100_000;

    private final VerificationLeases leases;
    /** Each entry expires at its own deadline (Caffeine's clock is {@link System#nanoTime()} too). */
    private final Cache<String, Entry> byHash = Caffeine.newBuilder()
            .expireAfter(Expiry.<String, Entry>creating(
                    (hash, entry) -> Duration.ofNanos(entry.until() - System.nanoTime())))
            .maximumSize(MAXIMUM_KEYS)
            .build();

    public VerificationCache(VerificationLeases leases) {
        this.leases = leases;
    }

    /** @param until {@link System#nanoTime()} by which the entry must no longer be used */
    private record Entry(KeyView key, long until) {
    }

    /** The key with this SHA-256 hash, from the cache or else read by {@code read}. */
    Optional<KeyView> find(String hash, Function<String, Optional<KeyView>> read) {
        Entry cached = byHash.getIfPresent(hash);
        if (cached != null) {
            return Optional.of(cached.key());
        }
        Optional<KeyView> found = read.apply(hash);
        if (found.isEmpty() || found.get().deleted()) {
            return found;
        }
        // The entry's life starts before its lease is taken, so it ends before the lease does.
        long until = System.nanoTime() + TIME_TO_LIVE.toNanos();
        leases.lease(hash, TIME_TO_LIVE);
        Optional<KeyView> current = read.apply(hash);
        current.ifPresent(key -> byHash.put(hash, new Entry(key, until)));
        return current;
    }

    /** Returns once no node can still hold one of these keys as it was before this call. */
    public void awaitRevoked(Collection<UUID> keyIds) {
        sleep(leases.remainingFor(keyIds));
    }

    /** As {@link #awaitRevoked}, for every key the member holds or held in the project. */
    public void awaitRevokedFor(String projectId, String userId) {
        sleep(leases.remainingForMember(projectId, userId));
    }

    /** As {@link #awaitRevoked}, for every operator key there is or was: after another one has replaced them. */
    public void awaitOperatorKeysRevoked() {
        sleep(leases.remainingForOperatorKeys());
    }

    private static void sleep(Duration remaining) {
        if (remaining.isZero()) {
            return;
        }
        try {
            Thread.sleep(remaining.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
