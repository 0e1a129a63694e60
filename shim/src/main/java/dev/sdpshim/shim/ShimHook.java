package dev.sdpshim.shim;

import dev.sdpshim.conf.Action;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;

/**
 * <b>Internal</b>: the entry point of the sdp-shim agent's hooks inside the JDK (and of other
 * sdp-shim components that hold a bare descriptor) into the same decision the factories use.
 * Not an API for applications: use {@link SdpShim}'s factories and channel helpers. It may
 * change without notice.
 *
 * <p>Call it where the JDK calls {@code sun.net.NetHooks}: right before the bind, with the local
 * address and port as given; right before the connect, with the remote address and port, telling
 * whether the socket is already bound (the JDK does not call the connect hook for bound sockets;
 * passing {@code alreadyBound = true} has the same effect). The caller must own the socket for
 * the duration of the call.
 */
public final class ShimHook {
  private ShimHook() {
  }

  /**
   * Judges one bind or connect of the socket {@code fd} and converts it if a rule says so.
   *
   * @param owner what the socket's closing is observed on, for the count of open sockets: the
   *     socket's {@link FileDescriptor} (the JDK invalidates it on close), its
   *     {@link java.net.Socket}, {@link java.net.ServerSocket} or channel; null if none (the
   *     socket is then counted in totals only)
   * @return whether the socket was converted
   * @throws IOException under {@link Fallback#FAIL}, when a matched socket cannot be converted;
   *     the bind or connect must then fail with it
   */
  public static boolean decide(SdpShim shim, Action action, int fd, InetAddress address, int port,
      boolean alreadyBound, Object owner) throws IOException {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(address, "address");
    if (owner != null && !OpenSockets.canTrack(owner)) {
      throw new IllegalArgumentException("owner must be a FileDescriptor, Socket, ServerSocket or"
          + " Channel, not " + owner.getClass().getName());
    }
    return shim.policy().decide(action, address, port, alreadyBound, () -> fd, owner)
        == SocketPolicy.Outcome.CONVERTED;
  }

  /**
   * As {@link #decide(SdpShim, Action, int, InetAddress, int, boolean, Object)} for the
   * {@code FileDescriptor} the JDK passes to its hooks, which is also the owner.
   */
  public static boolean decide(SdpShim shim, Action action, FileDescriptor fd, InetAddress address,
      int port, boolean alreadyBound) throws IOException {
    return decide(shim, action, SocketDescriptors.fd(fd), address, port, alreadyBound, fd);
  }

  /** Whether {@code fd} is bound, from getsockname(2): for hooks that do not know. */
  public static boolean isBound(int fd) throws IOException {
    return Libc.localPort(fd) != 0;
  }
}
