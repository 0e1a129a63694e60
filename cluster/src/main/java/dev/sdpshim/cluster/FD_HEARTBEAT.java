package dev.sdpshim.cluster;

import java.util.List;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.annotations.MBean;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_ALL3;

/**
 * FD_ALL3 (heartbeats; a member silent for {@code timeout} is suspected) that reports its
 * suspicions on every member, not only on the one that would be coordinator. FD_ALL3 keeps a
 * participant's suspicions to itself, so a member whose own link to another is broken would
 * never find out; with WITNESS above, every suspicion is checked with witnesses, and such a
 * member learns that it is the one cut off.
 */
@MBean(description = "FD_ALL3 that reports suspicions on every member, for WITNESS to check")
public class FD_HEARTBEAT extends FD_ALL3 {
  static final short ID = 1703;

  static {
    ClassConfigurator.addProtocol(ID, FD_HEARTBEAT.class);
  }

  @Override
  protected void suspect(List<Address> suspects) {
    super.suspect(suspects); // records them; sends SUSPECT up if this member would be coordinator
    if (suspects != null && !suspects.isEmpty()) {
      // Again for a participant; WITNESS checks each suspect once, a repeat is ignored.
      up_prot.up(new Event(Event.SUSPECT, suspects));
    }
  }
}
