package keyquota.domain.project;

import java.time.Instant;

public record ProjectCreated(String projectId, String name, Instant createdAt) {
}
