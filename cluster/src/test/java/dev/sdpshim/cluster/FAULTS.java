package dev.sdpshim.cluster;

import java.util.Iterator;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/**
 * Test protocol right above the transport: drops every message the {@link Network} says does not
 * reach this member, the way a cut link would (the TCP connections themselves stay up, so the
 * stack sees silence, as across a broken switch link).
 */
public class FAULTS extends Protocol {
  static final short ID = 1709;

  static {
    ClassConfigurator.addProtocol(ID, FAULTS.class);
  }

  private final Network network;
  private final String self;

  public FAULTS() {
    this(new Network(), "");
  }

  FAULTS(Network network, String self) {
    this.network = network;
    this.self = self;
  }

  @Override
  public Object up(Message msg) {
    return passes(msg.getSrc()) && !droppedAck(msg) ? up_prot.up(msg) : null;
  }

  private boolean droppedAck(Message msg) {
    PANIC.PanicHeader hdr = msg.getHeader(PANIC.ID);
    return hdr != null && hdr.type == PANIC.PanicHeader.ACK && network.dropsPanicAcks();
  }

  @Override
  public void up(MessageBatch batch) {
    if (!passes(batch.sender())) {
      return;
    }
    for (Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
      Message msg = it.next();
      if (!passes(msg.getSrc()) || droppedAck(msg)) {
        it.remove();
      }
    }
    if (!batch.isEmpty()) {
      up_prot.up(batch);
    }
  }

  @Override
  public Object down(Message msg) {
    Address dest = msg.getDest();
    if (dest != null && !network.delivers(self, Member.of(dest).name())) {
      return null; // the link is down: nothing arrives (receivers drop it too; this saves work)
    }
    return down_prot.down(msg);
  }

  private boolean passes(Address src) {
    return src == null || network.delivers(Member.of(src).name(), self);
  }
}
