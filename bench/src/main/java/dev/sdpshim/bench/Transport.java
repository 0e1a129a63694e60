package dev.sdpshim.bench;

import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.shim.Fallback;
import dev.sdpshim.shim.Protocol;
import dev.sdpshim.shim.SdpShim;
import dev.sdpshim.shim.ShimStatistics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;

/**
 * How the benchmark's end of a connection is made, the {@code transport} parameter of the socket
 * benchmarks. Each opens its client sockets to the {@link Peer} listener of its {@link Wire}.
 */
enum Transport {
  /** {@code new Socket()}: no shim class anywhere. */
  PLAIN_TCP("plain-tcp", Wire.TCP) {
    @Override
    Client client(InetSocketAddress peer, Trial trial) {
      return () -> {
        Socket s = new Socket();
        s.connect(peer);
        s.setTcpNoDelay(true);
        return s;
      };
    }
  },

  /**
   * A shim whose 1 000 generated rules ({@link RuleSetGenerator}, the InfiniBand-site file) match
   * nothing here: every connect is looked up and stays TCP. Checked on the first connection.
   */
  SHIM_NOMATCH("shim-nomatch", Wire.TCP) {
    @Override
    Client client(InetSocketAddress peer, Trial trial) throws IOException {
      SdpShim shim = trial.track(noMatchShim());
      Client client = factoryClient(shim.socketFactory(), peer);
      Peer.probeAccept(client.connect());
      ShimStatistics st = shim.statistics();
      if (st.noMatch() < 1 || st.rules().stream().anyMatch(r -> r.matched() > 0)) {
        throw new IllegalStateException("a generated rule matched " + peer + ": pick a target outside"
            + " 10.128.0.0/10, fd00:5d9::/32 and port 18515: " + st);
      }
      return client;
    }
  },

  /**
   * The accepted end of a loopback MPTCP connection, an instance of exactly
   * {@code java.net.Socket}: the JDK cannot open an MPTCP socket itself, so this is the plain
   * counterpart of {@link #SHIM_MPTCP}. Its other end, the shim's socket, is served by a peer
   * thread. Same connection kind, roles swapped; as the shim's socket overrides only bind and
   * connect, the pair is in effect an A/A test of the data path.
   */
  PLAIN_MPTCP("plain-mptcp", Wire.MPTCP) {
    @Override
    Client client(InetSocketAddress peer, Trial trial) throws IOException {
      if (!peer.getAddress().isLoopbackAddress()) {
        throw new TransportUnavailableException("plain-mptcp runs on loopback only: the JDK cannot open an"
            + " MPTCP socket, so the plain end is the accepted side of a local connection (use shim-mptcp)");
      }
      ServerSocket local = Wire.MPTCP.listen(peer.getAddress(), 0, trial);
      SdpShim shim = trial.track(Wire.MPTCP.converting(peer.getAddress()));
      return () -> {
        Socket theirs = trial.track(shim.socketFactory().createSocket(peer.getAddress(), local.getLocalPort()));
        Socket mine = trial.track(local.accept());
        mine.setTcpNoDelay(true);
        if (mine.getClass() != Socket.class) {
          throw new IllegalStateException("expected a plain java.net.Socket from accept, got " + mine.getClass());
        }
        theirs.setTcpNoDelay(true);
        trial.start("plain-mptcp-peer", () -> Peer.serve(theirs));
        return mine;
      };
    }

    @Override
    Client connector(InetSocketAddress peer, Trial trial) throws TransportUnavailableException {
      throw new TransportUnavailableException("no plain MPTCP client exists in the JDK: the connect rate of"
          + " MPTCP is shim-mptcp's, conversion included");
    }
  },

  /** A shim that converts every socket connected to the target to MPTCP (fallback FAIL). */
  SHIM_MPTCP("shim-mptcp", Wire.MPTCP) {
    @Override
    Client client(InetSocketAddress peer, Trial trial) throws IOException {
      return convertingClient(Wire.MPTCP, peer, trial);
    }
  },

  /** A shim that converts every socket connected to the target to SDP (fallback FAIL). */
  SHIM_SDP("shim-sdp", Wire.SDP) {
    @Override
    Client client(InetSocketAddress peer, Trial trial) throws IOException {
      return convertingClient(Wire.SDP, peer, trial);
    }
  };

  /** The rule count of the no-match shim, as in the issues' performance targets. */
  static final int RULES = 1000;
  private static final AtomicInteger SHIMS = new AtomicInteger();

  private final String id;
  private final Wire wire;

  Transport(String id, Wire wire) {
    this.id = id;
    this.wire = wire;
  }

  /** Connected sockets of one transport to one listener. */
  interface Client {
    Socket connect() throws IOException;
  }

  static Transport of(String id) {
    return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown transport '" + id + "'; known: "
            + Arrays.stream(values()).map(Transport::toString).toList()));
  }

  Wire wire() {
    return wire;
  }

  /**
   * Sockets connected to {@code peer} for a data benchmark, each with TCP_NODELAY.
   *
   * @throws TransportUnavailableException when this transport cannot run against {@code peer}
   */
  abstract Client client(InetSocketAddress peer, Trial trial) throws IOException;

  /** Sockets for the connect+accept benchmark: {@link #client} unless the transport has none. */
  Client connector(InetSocketAddress peer, Trial trial) throws IOException {
    return client(peer, trial);
  }

  @Override
  public String toString() {
    return id;
  }

  static SdpShim noMatchShim() {
    SdpConfig config = RuleSetGenerator.offlineParser().parse(RuleSetGenerator.generate(RULES).text(), "generated-" + RULES);
    if (config.rules().size() != RULES) {
      throw new IllegalStateException("expected " + RULES + " rules: " + config);
    }
    return SdpShim.builder().name("bench-nomatch-" + SHIMS.incrementAndGet()).config(config)
        .protocol(Protocol.MPTCP).fallback(Fallback.TCP).build();
  }

  private static Client factoryClient(SocketFactory factory, InetSocketAddress peer) {
    return () -> {
      Socket s = factory.createSocket(peer.getAddress(), peer.getPort());
      s.setTcpNoDelay(true);
      return s;
    };
  }

  /** A client of a converting shim; the first connection shows whether the protocol is there. */
  private static Client convertingClient(Wire wire, InetSocketAddress peer, Trial trial) throws IOException {
    SdpShim shim = trial.track(wire.converting(peer.getAddress()));
    Client client = factoryClient(shim.socketFactory(), peer);
    try {
      Peer.probeAccept(client.connect());
    } catch (IOException e) {
      throw new TransportUnavailableException("a " + wire + " connection to " + peer + ": " + e.getMessage(), e);
    }
    long converted = shim.statistics().rules().stream().mapToLong(ShimStatistics.RuleCounts::converted).sum();
    if (converted < 1) {
      throw new IllegalStateException("expected the first connection to " + peer + " converted to " + wire + ": "
          + shim.statistics());
    }
    return client;
  }
}
