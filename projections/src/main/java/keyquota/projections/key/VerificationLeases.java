package keyquota.projections.key;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * Until when some node may still hold a key in its verification cache, in the database's clock. A node takes
 * the lease before it reads the key it will cache; a request that ends keys' validity reads the leases after
 * its commit and waits out the latest. Either the lease was there to be seen, or the read came after the commit.
 */
@Component
public class VerificationLeases {

    private final JdbcClient jdbc;

    public VerificationLeases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Leases the key with this hash for {@code lifetime} from now (not shorter than a lease already taken). */
    public void lease(String keyHash, Duration lifetime) {
        jdbc.sql("""
                        INSERT INTO verification_lease (key_hash, until)
                        VALUES (?, clock_timestamp() + ? * INTERVAL '1 millisecond')
                        ON CONFLICT (key_hash) DO UPDATE SET until = greatest(verification_lease.until, excluded.until)""")
                .params(keyHash, lifetime.toMillis())
                .update();
    }

    /** How long from now the latest lease on these keys runs; zero when none is running. */
    public Duration remainingFor(Collection<UUID> keyIds) {
        Object keyIdArray = keyIds.toArray(UUID[]::new);
        return remaining("JOIN api_key k ON k.key_hash = l.key_hash WHERE k.key_id = ANY(?)", keyIdArray);
    }

    /** As {@link #remainingFor}, for every key a member holds or held in a project. */
    public Duration remainingForMember(String projectId, String userId) {
        return remaining("JOIN api_key k ON k.key_hash = l.key_hash WHERE k.project_id = ? AND k.user_id = ?",
                projectId, userId);
    }

    /** As {@link #remainingFor}, for every operator key there is or was. */
    public Duration remainingForOperatorKeys() {
        return remaining("JOIN api_key k ON k.key_hash = l.key_hash WHERE k.type = 'OPERATOR'");
    }

    private Duration remaining(String keys, Object... params) {
        long millis = jdbc.sql("""
                        SELECT coalesce(ceil(extract(EPOCH FROM max(l.until) - clock_timestamp()) * 1000), 0)
                        FROM verification_lease l\s""" + keys)
                .params(params)
                .query(Long.class)
                .single();
        return Duration.ofMillis(Math.max(millis, 0));
    }
}
