package dev.sdpshim.shim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;

/**
 * A listener from {@link ShimServerSocketFactory}: its bind is judged by the bind rules with the
 * local address as given (null: the wildcard and port 0, as {@link ServerSocket#bind} turns it
 * into). {@code bind(SocketAddress)} delegates to {@code bind(SocketAddress, int)} in
 * {@link ServerSocket}, so overriding the latter catches both. Accepted sockets are plain
 * {@link java.net.Socket}s and are never judged: they share the listener's protocol.
 */
final class ShimServerSocket extends ServerSocket {
  /**
   * What a listener gets before it listens, after any conversion (which replaces the descriptor):
   * e.g. a rail group's user timeout, which the connections it accepts inherit. Set after the
   * listen, a connection completed in between (the accept queue fills at once) would lack it.
   */
  @FunctionalInterface
  interface BeforeListen {
    BeforeListen NOTHING = server -> { };

    void prepare(ServerSocket server) throws IOException;
  }

  private final SocketPolicy policy;
  private final BeforeListen beforeListen;

  ShimServerSocket(SocketPolicy policy) throws IOException {
    this(policy, BeforeListen.NOTHING);
  }

  ShimServerSocket(SocketPolicy policy, BeforeListen beforeListen) throws IOException {
    this.policy = policy;
    this.beforeListen = beforeListen;
  }

  @Override
  public void bind(SocketAddress endpoint, int backlog) throws IOException {
    if (!isClosed() && !isBound()) {
      InetSocketAddress local =
          endpoint == null ? new InetSocketAddress(0) : ShimSocket.resolved(endpoint);
      if (local != null) {
        policy.beforeBind(local, () -> SocketDescriptors.fd(this), this);
      }
      beforeListen.prepare(this); // the JDK's bind listens at once
    }
    JudgedScope.run(() -> {
      super.bind(endpoint, backlog);
      return null;
    });
  }
}
