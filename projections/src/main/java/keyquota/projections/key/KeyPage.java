package keyquota.projections.key;

import java.util.List;

/** @param nextCursor where the next page starts, or null on the last page */
public record KeyPage(List<KeyView> keys, String nextCursor) {
}
