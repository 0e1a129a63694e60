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
  /** What a listener gets once bound, e.g. a rail group's user timeout, which accepted sockets inherit. */
  @FunctionalInterface
  interface AfterBind {
    AfterBind NOTHING = server -> { };

    void bound(ServerSocket server) throws IOException;
  }

  private final SocketPolicy policy;
  private final AfterBind afterBind;

  ShimServerSocket(SocketPolicy policy) throws IOException {
    this(policy, AfterBind.NOTHING);
  }

  ShimServerSocket(SocketPolicy policy, AfterBind afterBind) throws IOException {
    this.policy = policy;
    this.afterBind = afterBind;
  }

  @Override
  public void bind(SocketAddress endpoint, int backlog) throws IOException {
    if (!isClosed() && !isBound()) {
      InetSocketAddress local =
          endpoint == null ? new InetSocketAddress(0) : ShimSocket.resolved(endpoint);
      if (local != null) {
        policy.beforeBind(local, () -> SocketDescriptors.fd(this), this);
      }
    }
    JudgedScope.run(() -> {
      super.bind(endpoint, backlog);
      return null;
    });
    // after any conversion (which replaces the descriptor) and before the first accept
    afterBind.bound(this);
  }
}
