package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Action;
import dev.sdpshim.conf.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * One question for match-rule: does this bind or connect go over SDP?
 *
 * @param addressText the address as given, echoed back in batch output
 */
record Probe(Action action, String addressText, InetAddress address, int port) {

  /** {@code connect 192.0.2.1 80}, as echoed in batch output. */
  String label() {
    return action.keyword() + " " + addressText + " " + port;
  }

  /** Parses the three parts; the message of the exception says what is wrong, for an operator. */
  static Probe parse(String action, String address, String port, HostResolver resolver) throws UsageException {
    Action a = null;
    for (Action candidate : Action.values()) {
      if (candidate.keyword().equals(action.toLowerCase(Locale.ROOT))) {
        a = candidate;
      }
    }
    if (a == null) {
      throw new UsageException("the action must be bind or connect, not '" + action + "'");
    }
    return new Probe(a, address, resolve(address, resolver), parsePort(port));
  }

  private static InetAddress resolve(String address, HostResolver resolver) throws UsageException {
    // [2001:db8::1] is how addresses with ports are often written; accept it.
    String host = address.length() > 2 && address.startsWith("[") && address.endsWith("]")
        ? address.substring(1, address.length() - 1) : address;
    if (host.isEmpty() || host.equals("*")) {
      throw new UsageException("the address must be an IP address, not '" + address + "' (for a wildcard bind, ask for 0.0.0.0 or ::)");
    }
    try {
      InetAddress resolved = resolver.resolveFirst(host);
      if (resolved == null) {
        throw new UsageException("'" + address + "' is not an IP address, and host names are not resolved with --offline");
      }
      return resolved;
    } catch (UnknownHostException e) {
      throw new UsageException("'" + address + "' is neither an IP address nor a host name that resolves here");
    }
  }

  /** Only what a socket can really be given: 0 to 65535 in plain decimal. */
  private static int parsePort(String port) throws UsageException {
    if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int p = Integer.parseInt(port);
      if (p <= 65535) {
        return p;
      }
    }
    throw new UsageException("the port must be a number from 0 to 65535, not '" + port + "'");
  }
}
