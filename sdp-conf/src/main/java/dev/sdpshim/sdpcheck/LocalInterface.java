package dev.sdpshim.sdpcheck;

import java.net.InetAddress;
import java.util.List;

/**
 * A network interface of this host and the addresses assigned to it.
 *
 * @param name the kernel's name, e.g. {@code ib0}, which is also its directory under /sys/class/net
 */
record LocalInterface(String name, List<InetAddress> addresses) {
  LocalInterface {
    addresses = List.copyOf(addresses);
  }
}
