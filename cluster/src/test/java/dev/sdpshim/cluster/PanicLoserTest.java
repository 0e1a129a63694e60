package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Event;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.junit.jupiter.api.Test;

/**
 * What a member of a losing island does between the verdict and the close of its channel: it
 * refuses join requests (a joiner must not land in an island that is going away), and tells a
 * member that joined its island after the verdict was made that it lost too.
 */
class PanicLoserTest {
  private static final short GMS_ID = ClassConfigurator.getProtocolId(GMS.class);

  private final Address winner = Member.newIdentity("m1");
  private final Address loser = Member.newIdentity("m2");
  private final Address joiner = Member.newIdentity("m3");
  private final Address lateJoiner = Member.newIdentity("m4");

  @Test
  void aLoserRefusesJoinRequestsFromTheVerdictOn() {
    Stack m2 = new Stack(loser, View.create(loser, 5, loser));
    m2.panic.up(joinRequest(joiner));
    assertEquals(1, m2.joinRequestsUp(), "before the verdict, a join request reaches GMS");

    m2.panic.up(verdict(loser, List.of(loser)));
    assertTrue(m2.panic.lost());
    assertEquals(1, m2.panics.size(), "the owner is told to stop and rejoin");
    assertEquals(Member.of(winner), m2.panics.getFirst().winner());

    m2.panic.up(verdict(loser, List.of(loser)));
    assertEquals(1, m2.panics.size(), "a repeated verdict stops nothing more");
    assertEquals(2, m2.down.stream().filter(m -> winner.equals(m.getDest())).count(),
        "but is acknowledged again: the winner holds joins until an acknowledgement arrives");

    m2.panic.up(joinRequest(joiner));
    MessageBatch batch = new MessageBatch(1).add(joinRequest(lateJoiner));
    m2.panic.up(batch);
    assertEquals(1, m2.joinRequestsUp(), "after the verdict, no join request reaches GMS (single or batched)");
  }

  @Test
  void aMemberThatJoinedTheLosingIslandAfterTheVerdictIsToldItLost() {
    Stack m2 = new Stack(loser, View.create(loser, 5, loser));
    m2.panic.up(verdict(loser, List.of(loser)));
    assertTrue(verdictsSentTo(m2, lateJoiner).isEmpty());

    // m4's join request reached m2's GMS before the verdict; GMS installs the view only now.
    m2.panic.down(new Event(Event.VIEW_CHANGE, View.create(loser, 6, loser, lateJoiner)));
    List<PANIC.PanicHeader> told = verdictsSentTo(m2, lateJoiner);
    assertEquals(1, told.size(), "the late joiner is told once");
    assertTrue(told.getFirst().losers.containsAll(List.of(loser, lateJoiner)));
    assertEquals(winner, told.getFirst().winner);

    m2.panic.down(new Event(Event.VIEW_CHANGE, View.create(loser, 7, loser, lateJoiner)));
    assertEquals(1, verdictsSentTo(m2, lateJoiner).size(), "not told again on the next view");

    Stack m4 = new Stack(lateJoiner, View.create(loser, 6, loser, lateJoiner));
    m4.panic.up(new EmptyMessage(lateJoiner).setSrc(loser).putHeader(PANIC.ID, told.getFirst()));
    assertEquals(1, m4.panics.size(), "the late joiner stops and rejoins the winner");
    assertEquals(Member.of(winner), m4.panics.getFirst().winner());
    assertTrue(verdictsSentTo(m4, loser).isEmpty(), "it does not tell m2, which the verdict names");
  }

  @Test
  void aMemberNotNamedByTheVerdictKeepsAcceptingJoins() {
    Stack m4 = new Stack(lateJoiner, View.create(lateJoiner, 5, lateJoiner));
    m4.panic.up(verdict(loser, List.of(loser)));
    assertFalse(m4.panic.lost());
    assertTrue(m4.panics.isEmpty());
    m4.panic.up(joinRequest(joiner));
    assertEquals(1, m4.joinRequestsUp());
    assertNull(m4.down.stream().filter(m -> m.getHeader(PANIC.ID) != null).findAny().orElse(null));
  }

  private Message verdict(Address to, List<Address> losers) {
    return new EmptyMessage(to).setSrc(winner)
        .putHeader(PANIC.ID, new PANIC.PanicHeader(PANIC.PanicHeader.PANIC, winner, 1, loser, 1, losers));
  }

  private Message joinRequest(Address from) {
    return new EmptyMessage(loser).setSrc(from).putHeader(GMS_ID, new GMS.GmsHeader(GMS.GmsHeader.JOIN_REQ, from));
  }

  private static List<PANIC.PanicHeader> verdictsSentTo(Stack stack, Address dest) {
    return stack.down.stream().filter(m -> dest.equals(m.getDest()))
        .map(m -> m.<PANIC.PanicHeader>getHeader(PANIC.ID))
        .filter(h -> h != null && h.type == PANIC.PanicHeader.PANIC).toList();
  }

  /** One PANIC between recorders of what it passes up and sends down. */
  private static final class Stack {
    final PANIC panic = new PANIC();
    final List<Message> up = new CopyOnWriteArrayList<>();
    final List<Message> down = new CopyOnWriteArrayList<>();
    final List<Panic> panics = new CopyOnWriteArrayList<>();

    Stack(Address self, View view) {
      panic.addr(self);
      Protocol recorder = new Protocol() {
        @Override
        public Object up(Message msg) {
          up.add(msg);
          return null;
        }

        @Override
        public void up(MessageBatch batch) {
          batch.forEach(up::add);
        }

        @Override
        public Object down(Message msg) {
          down.add(msg);
          return null;
        }

        @Override
        public Object down(Event evt) {
          return null;
        }
      };
      panic.setUpProtocol(recorder);
      panic.setDownProtocol(recorder);
      panic.onPanic(panics::add);
      panic.down(new Event(Event.VIEW_CHANGE, view));
    }

    long joinRequestsUp() {
      return up.stream().filter(m -> m.getHeader(GMS_ID) != null).count();
    }
  }
}
