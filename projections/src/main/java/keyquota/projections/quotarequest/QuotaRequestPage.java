package keyquota.projections.quotarequest;

import java.util.List;

/** @param nextCursor where the next page starts, or null on the last page */
public record QuotaRequestPage(List<QuotaRequestView> requests, String nextCursor) {
}
