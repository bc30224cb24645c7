package keyquota.projections.project;

import java.time.Instant;

public record ProjectView(String projectId, String name, Instant createdAt) {
}
