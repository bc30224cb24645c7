package keyquota.infrastructure.readmodel;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static keyquota.infrastructure.readmodel.ReadModelRebuild.indexOf;
import static org.assertj.core.api.Assertions.assertThat;

/** A rebuild tells each replayed event's own global index from the stream's tokens around it. */
class EventIndexTest {

    @Test
    void theFirstEventAndEachNewHighestAreAtTheTokensIndex() {
        GapAwareTrackingToken first = GapAwareTrackingToken.newInstance(3, Set.of(1L, 2L));
        assertThat(indexOf(first, null)).isEqualTo(3);
        GapAwareTrackingToken next = first.advanceTo(7, 1000);
        assertThat(indexOf(next, first)).isEqualTo(7);
    }

    @Test
    void anEventThatCommittedAfterALaterOneIsAtTheGapItFilled() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(9, Set.of(4L, 6L));
        assertThat(indexOf(before.advanceTo(6, 1000), before)).isEqualTo(6);
        assertThat(indexOf(before.advanceTo(4, 1000), before)).isEqualTo(4);
    }

    @Test
    void aGapFilledAfterAxonDroppedOlderGapsIsStillFound() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(20, Set.of(2L, 3L, 15L));
        GapAwareTrackingToken cleaned = before.withGapsTruncatedAt(10);
        assertThat(indexOf(cleaned.advanceTo(15, 1000), before)).isEqualTo(15);
    }
}
