package dev.sdpshim.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Where the socket benchmarks connect to, from their {@code target} parameter: {@code loopback}
 * (the default: a {@link Peer} in the benchmark's own JVM on 127.0.0.1, started per trial), or
 * {@code HOST[:PORT]} / {@code [IPV6]:PORT} of a peer started with {@code bench/run --server}
 * (port {@value Peer#DEFAULT_PORT} unless given).
 */
record Target(InetAddress address, int port, boolean loopback) {
  static final String LOOPBACK = "loopback";

  static Target parse(String spec) throws UnknownHostException {
    if (spec.equals(LOOPBACK)) {
      return new Target(InetAddress.getLoopbackAddress(), 0, true);
    }
    String host = spec;
    int port = Peer.DEFAULT_PORT;
    int colon = spec.lastIndexOf(':');
    boolean bracketed = spec.startsWith("[");
    if (colon > 0 && (bracketed ? colon > spec.indexOf(']') : spec.indexOf(':') == colon)) {
      host = spec.substring(0, colon);
      try {
        port = Integer.parseInt(spec.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("target '" + spec + "': the port is not a number", e);
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Target(InetAddress.getByName(host), port, false);
  }

  /**
   * The listener of {@code wire} to connect to. On loopback a peer is started for it in
   * {@code trial}; a remote peer listens at its base port plus the wire's offset.
   *
   * @throws TransportUnavailableException when the loopback listener cannot use the wire
   */
  InetSocketAddress listener(Wire wire, Trial trial) throws IOException {
    if (!loopback) {
      return new InetSocketAddress(address, port + wire.portOffset());
    }
    ServerSocket server = wire.listen(address, 0, trial);
    Peer.serve(server, trial);
    return new InetSocketAddress(address, server.getLocalPort());
  }

  @Override
  public String toString() {
    return loopback ? LOOPBACK : address.getHostAddress() + ":" + port;
  }
}
