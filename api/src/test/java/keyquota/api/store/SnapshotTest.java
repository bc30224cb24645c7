package keyquota.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.domain.MembershipId;
import keyquota.domain.membership.Membership;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A membership that has seen many keys is snapshotted, and its snapshot holds what a fresh load must decide on
 * (its role, and exactly the keys live at the snapshot's sequence), in a form Axon's serializer reads back.
 */
class SnapshotTest extends ApiTest {

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    @Qualifier("defaultAxonObjectMapper")
    private ObjectMapper axonJson;

    private record Snapshot(long sequence, byte[] payload) {
    }

    @Test
    void aLongMembershipHistoryIsSnapshottedWithItsLiveKeys() throws Exception {
        String project = createProject();
        addMember(project, "alice", "TENANT_USER");
        String keys = "/api/v1/projects/" + project + "/keys";
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String keyId = createKey(project, "alice").text("keyId");
            assertThat(api.delete(keys + "/" + keyId, OPERATOR).status()).isEqualTo(204);
            deleted.add(keyId);
        }
        String live = createKey(project, "alice").text("keyId");
        assertThat(api.post(keys + "/" + live + "/extend", OPERATOR, Api.json("days", 3)).status()).isEqualTo(200);

        String membership = MembershipId.of(project, "alice");
        Snapshot taken = await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                        "SELECT sequence_number, payload FROM snapshot_event_entry WHERE aggregate_identifier = ?")
                .param(membership)
                .query((rs, n) -> new Snapshot(rs.getLong("sequence_number"), rs.getBytes("payload")))
                .optional().orElse(null), snapshot -> snapshot != null);

        // As of its sequence: 0 joined, then each pair created (odd) and deleted (even) a key, then the live one.
        long at = taken.sequence();
        Set<String> expectedKeys = at > 2L * deleted.size() ? Set.of(live)
                : at % 2 == 1 ? Set.of(deleted.get((int) (at - 1) / 2)) : Set.of();
        JsonNode snapshot = axonJson.readTree(taken.payload());
        assertThat(snapshot.path("role").asText()).isEqualTo("TENANT_USER");
        List<String> keysHeld = new ArrayList<>();
        snapshot.path("keys").fieldNames().forEachRemaining(keysHeld::add);
        assertThat(keysHeld).as("keys at sequence %d", at).containsExactlyInAnyOrderElementsOf(expectedKeys);
        JsonNode readBack = axonJson.valueToTree(axonJson.readValue(taken.payload(), Membership.class));
        assertThat(readBack).isEqualTo(snapshot);
    }
}
