package keyquota.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import keyquota.api.support.Api;
import keyquota.api.support.ApiTest;
import keyquota.domain.membership.Membership;
import keyquota.domain.membership.MembershipId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A membership that has seen many keys is snapshotted, and its snapshot holds what a fresh load must decide on
 * (its role and its live keys, not the deleted ones), in a form Axon's serializer reads back.
 */
class SnapshotTest extends ApiTest {

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    @Qualifier("defaultAxonObjectMapper")
    private ObjectMapper axonJson;

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
        byte[] payload = await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                        "SELECT payload FROM snapshot_event_entry WHERE aggregate_identifier = ?")
                .param(membership).query(byte[].class).optional().orElse(null), snapshot -> snapshot != null);

        JsonNode snapshot = axonJson.readTree(payload);
        assertThat(snapshot.path("role").asText()).isEqualTo("TENANT_USER");
        assertThat(snapshot.path("keys").size()).as(snapshot.toString()).isLessThanOrEqualTo(1);
        deleted.forEach(keyId -> assertThat(snapshot.path("keys").has(keyId)).as(keyId).isFalse());
        JsonNode readBack = axonJson.valueToTree(axonJson.readValue(payload, Membership.class));
        assertThat(readBack).isEqualTo(snapshot);
    }
}
