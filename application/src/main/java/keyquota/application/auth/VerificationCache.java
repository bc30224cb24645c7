package keyquota.application.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import keyquota.projections.key.KeyView;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keys as the hot path last read them, for at most {@link #TIME_TO_LIVE}: verification on every call of a cloud
 * service costs a memory lookup, not a database round trip.
 *
 * <p>"A deleted key stops authenticating at once, on every node, when its delete returns" holds without any
 * message between nodes: a request that ends keys' validity answers only after {@link #awaitEveryNode()}, by
 * which time no node holds an entry read before the change. A node cut off from its database cannot serve a
 * stale entry for longer either. Only keys that exist are kept, so well-formed keys made up by a caller do not
 * fill it, and a key's expiry is judged at each use, not when it was read.
 */
@Component
public class VerificationCache {

    static final Duration TIME_TO_LIVE = Duration.ofMillis(250);
    private static final int MAXIMUM_KEYS = 100_000;

    private final Cache<String, KeyView> byHash = Caffeine.newBuilder()
            .expireAfterWrite(TIME_TO_LIVE)
            .maximumSize(MAXIMUM_KEYS)
            .build();

    /** The key with this SHA-256 hash, from the cache or else read by {@code read}. */
    Optional<KeyView> find(String hash, Function<String, Optional<KeyView>> read) {
        KeyView cached = byHash.getIfPresent(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<KeyView> found = read.apply(hash);
        found.ifPresent(key -> byHash.put(hash, key));
        return found;
    }

    /**
     * Returns once every node has dropped what it read before this call: after a command that ends keys'
     * validity has committed, and before its request is answered.
     */
    public void awaitEveryNode() {
        try {
            Thread.sleep(TIME_TO_LIVE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
