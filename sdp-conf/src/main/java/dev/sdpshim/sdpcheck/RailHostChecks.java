package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.RailsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a rails file against this host (SDP405): each rail's address must be on an interface
 * here, and on the interface the rail names, or the railed factory's bind to it fails and every
 * connection moves to the other rails.
 */
final class RailHostChecks {
  private final LocalInterfaces source;

  RailHostChecks(LocalInterfaces source) {
    this.source = source;
  }

  List<Diagnostic> check(RailsConfig rails) throws IOException {
    List<LocalInterface> interfaces = source.list();
    List<Diagnostic> out = new ArrayList<>();
    for (RailsConfig.Rail rail : rails.rails()) {
      String problem = problem(rail, interfaces);
      if (problem != null) {
        out.add(new Diagnostic(Code.SDP405, rail.position(), problem, false, ""));
      }
    }
    return out;
  }

  private static String problem(RailsConfig.Rail rail, List<LocalInterface> interfaces) {
    InetAddress address = rail.address();
    String shown = Addresses.format(address);
    LocalInterface carrier = null;
    for (LocalInterface ni : interfaces) {
      // all of 127/8 is bound through the loopback interface, which carries only 127.0.0.1
      if (ni.addresses().contains(address)
          || address.isLoopbackAddress() && ni.addresses().stream().anyMatch(InetAddress::isLoopbackAddress)) {
        carrier = ni;
        break;
      }
    }
    if (rail.device() == null) {
      return carrier != null ? null : "rail " + rail.name() + ": no interface of this host has " + shown
          + ", so binding a connection to it fails and the rail is never used";
    }
    boolean known = interfaces.stream().anyMatch(ni -> ni.name().equals(rail.device()));
    if (!known) {
      return "rail " + rail.name() + ": this host has no interface " + rail.device()
          + (carrier != null ? " (" + shown + " is on " + carrier.name() + ")" : "")
          + ", so the rail's link state cannot be watched";
    }
    if (carrier == null) {
      return "rail " + rail.name() + ": " + rail.device() + " does not have " + shown
          + ", nor does any other interface, so binding a connection to it fails and the rail is never used";
    }
    if (!carrier.name().equals(rail.device())) {
      return "rail " + rail.name() + ": " + shown + " is on " + carrier.name() + ", not on " + rail.device()
          + ", so the rail would follow the wrong interface's link state";
    }
    return null;
  }
}
