package dev.sdpshim.sdpcheck;

import java.io.IOException;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Where the host checks learn which addresses this host has; tests supply a fixed list. */
@FunctionalInterface
interface LocalInterfaces {
  List<LocalInterface> list() throws IOException;

  /** The interfaces the JVM sees, down ones included: an address there may still be bound at run time. */
  static LocalInterfaces system() {
    return () -> {
      List<LocalInterface> out = new ArrayList<>();
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        out.add(new LocalInterface(ni.getName(), Collections.list(ni.getInetAddresses())));
      }
      return out;
    };
  }
}
