package dev.sdpshim.bench;

import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.shim.Fallback;
import dev.sdpshim.shim.Protocol;
import dev.sdpshim.shim.SdpShim;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The protocol a connection runs on between the benchmark and its {@link Peer}: plain TCP, or a
 * socket the shim converted to MPTCP or SDP. The peer listens with one listener per wire, at
 * consecutive ports ({@link #portOffset()}).
 */
enum Wire {
  TCP(null),
  MPTCP(Protocol.MPTCP),
  SDP(Protocol.SDP);

  private static final AtomicInteger SHIMS = new AtomicInteger();
  private final Protocol protocol;

  Wire(Protocol protocol) {
    this.protocol = protocol;
  }

  /** The listener's port relative to the peer's base port. */
  int portOffset() {
    return ordinal();
  }

  /**
   * A shim converting every socket bound or connected to {@code address} to this wire's protocol,
   * with fallback FAIL: a socket it cannot convert fails instead of quietly staying TCP.
   */
  SdpShim converting(InetAddress address) {
    if (protocol == null) {
      throw new IllegalStateException("TCP needs no conversion");
    }
    String host = address.getHostAddress();
    SdpConfig config = RuleSetGenerator.offlineParser()
        .parse("bind " + host + " *\nconnect " + host + " *\n", name().toLowerCase() + "-" + host);
    return SdpShim.builder().name("bench-" + name().toLowerCase() + "-" + SHIMS.incrementAndGet()).config(config)
        .protocol(protocol).fallback(Fallback.FAIL).build();
  }

  /**
   * A listener of this wire on {@code address:port} (0: any free port). For MPTCP and SDP the
   * shim converts it at bind, and the sockets it accepts follow it.
   *
   * @param track receives the shim, so that the caller closes it with the listener
   * @throws TransportUnavailableException when the shim cannot convert it (SDP here: EAFNOSUPPORT)
   */
  ServerSocket listen(InetAddress address, int port, Trial track) throws IOException {
    if (protocol == null) {
      return track.track(new ServerSocket(port, 128, address));
    }
    SdpShim shim = track.track(converting(address));
    try {
      return track.track(shim.serverSocketFactory().createServerSocket(port, 128, address));
    } catch (IOException e) {
      throw new TransportUnavailableException("a " + this + " listener on " + address.getHostAddress() + ": "
          + e.getMessage(), e);
    }
  }
}
