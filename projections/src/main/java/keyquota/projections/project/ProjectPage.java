package keyquota.projections.project;

import java.util.List;

/** @param nextCursor where the next page starts, or null on the last page */
public record ProjectPage(List<ProjectView> projects, String nextCursor) {
}
