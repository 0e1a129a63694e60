package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/** How PANIC tells a split brain from views that have not settled yet, and whom it ranks first. */
class PanicRankingTest {
  private final Address a = UUID.randomUUID();
  private final Address b = UUID.randomUUID();
  private final Address c = UUID.randomUUID();
  private final Address d = UUID.randomUUID();

  @Test
  void disjointIslandsAreASplitBrain() {
    View left = View.create(a, 3, a, b);
    View right = View.create(c, 4, c, d);
    assertFalse(PANIC.overlapping(List.of(left, right, left)), "one view reported by several members");
  }

  @Test
  void aStaleViewThatStillHoldsTheOthersIsNoSplitBrain() {
    // a was cut off and is leaving; its last view still has everyone, while b, c, d moved on.
    View leaving = View.create(a, 5, a, b, c, d);
    View cluster = View.create(b, 6, b, c, d);
    assertTrue(PANIC.overlapping(List.of(leaving, cluster)));
  }

  @Test
  void theLargerIslandRanksFirst() {
    View small = View.create(a, 3, a);
    View large = View.create(c, 4, c, d, b);
    assertEquals(List.of(large, small), PANIC.ranked(List.of(small, large)));
  }
}
