package keyquota.domain.quota;

import java.util.List;

public record AlertThresholdsSet(String projectId, String service, List<Integer> oldThresholds,
                                 List<Integer> newThresholds) {
}
