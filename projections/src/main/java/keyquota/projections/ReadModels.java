package keyquota.projections;

import keyquota.infrastructure.readmodel.ReadModel;
import keyquota.projections.audit.AuditProjection;
import keyquota.projections.key.KeyProjection;
import keyquota.projections.member.MemberProjection;
import keyquota.projections.project.ProjectProjection;
import keyquota.projections.quota.QuotaProjection;
import keyquota.projections.quota.UsageHistoryProjection;
import keyquota.projections.quotarequest.QuotaRequestProjection;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** Every read model the service keeps, each of which can be rebuilt from the event store. */
@Component
public class ReadModels {

    // A read model's tables in the order its statements lock them (quota usage: the member's row, then the
    // project's), so that a rebuild's lock on them cannot deadlock with a command.
    private final List<ReadModel> all = List.of(
            new ReadModel(ProjectProjection.NAME, List.of("project"), ProjectProjection::new),
            new ReadModel(MemberProjection.NAME, List.of("project_member"), MemberProjection::new),
            new ReadModel(KeyProjection.NAME, List.of("api_key"), KeyProjection::new),
            new ReadModel(QuotaProjection.NAME, List.of("quota_member", "quota_project", "quota_alert"),
                    QuotaProjection::new),
            new ReadModel(UsageHistoryProjection.NAME, List.of("usage_hour", "usage_history_position"),
                    (jdbc, writes) -> new UsageHistoryProjection(writes)),
            new ReadModel(QuotaRequestProjection.NAME, List.of("quota_request"), QuotaRequestProjection::new),
            new ReadModel(AuditProjection.NAME, List.of("audit_entry"), AuditProjection::new));

    public List<ReadModel> all() {
        return all;
    }

    public Optional<ReadModel> find(String name) {
        return all.stream().filter(model -> model.name().equals(name)).findFirst();
    }
}
