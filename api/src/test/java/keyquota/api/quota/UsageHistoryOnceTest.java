package keyquota.api.quota;

import keyquota.api.support.Api;
import keyquota.domain.quota.QuotaId;
import keyquota.projections.quota.UsageHistoryProjection;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static keyquota.api.quota.Quotas.allocate;
import static keyquota.api.quota.Quotas.ccs;
import static keyquota.api.quota.Quotas.release;
import static keyquota.api.quota.Quotas.serviceKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage history is written by a streaming processor, which a rebuild's swap can leave behind the events the
 * rebuild applied itself: those it hands the handlers again must change nothing. (Handled again, a change from
 * an earlier hour would count at the latest row's time: there it would raise the peak.)
 */
class UsageHistoryOnceTest extends QuotaTest {

    @Autowired
    private UsageHistoryProjection usageHistory;

    @Autowired
    private EventStore events;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void eventsHandledAgainChangeNothing() throws Exception {
        String project = newProject().tenantUsers(1).projectQuota(CCS, ccs(10, 0, 0)).id();
        String service = serviceKey(api, OPERATOR, CCS);
        assertThat(allocate(api, service, project, CCS, "once-1", user(0), Map.of("cpu", 2L)).status()).isEqualTo(201);
        assertThat(allocate(api, service, project, CCS, "once-2", user(0), Map.of("cpu", 3L)).status()).isEqualTo(201);
        assertThat(release(api, service, project, CCS, "once-1").status()).isEqualTo(204);
        clock.advance(Duration.ofHours(2));
        assertThat(release(api, service, project, CCS, "once-2").status()).isEqualTo(204);
        assertThat(allocate(api, service, project, CCS, "once-3", user(0), Map.of("cpu", 1L)).status()).isEqualTo(201);
        Instant now = clock.instant().truncatedTo(ChronoUnit.HOURS);
        Api.Response read = api.get(Quotas.path(project, CCS) + "/history?step=HOUR&from=" + now.minusSeconds(3 * 3600)
                + "&to=" + now.plusSeconds(3600), OPERATOR);
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        List<Map<String, Object>> rows = rows(project);
        assertThat(rows).as("a read waits for the history to pass the allocations")
                .anySatisfy(row -> assertThat(row).containsEntry("user_id", "").containsEntry("usage_end", 1L)
                        .containsEntry("peak", 3L));

        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(usageHistory);
        List<? extends DomainEventMessage<?>> quotaEvents =
                events.readEvents(QuotaId.of(project, CCS)).asStream().toList();
        assertThat(quotaEvents).hasSizeGreaterThan(3);
        for (DomainEventMessage<?> event : quotaEvents) {
            handlers.handle(event);
        }

        assertThat(rows(project)).isEqualTo(rows);
    }

    private List<Map<String, Object>> rows(String project) {
        return jdbc.sql("SELECT * FROM usage_hour WHERE project_id = ? ORDER BY user_id, resource, hour")
                .param(project).query().listOfRows();
    }
}
