package dev.sdpshim.shim;

import java.util.Optional;

/**
 * The one thing the converter knows about a target protocol: which socket replaces an
 * application socket of a given family. Each protocol is one implementation (as each Netty
 * transport is one channel class), so no code elsewhere asks "is this SDP?".
 */
@FunctionalInterface
interface ReplacementSocket {

  /**
   * The socket(2) call that makes the replacement for a socket of {@code family}
   * ({@link Libc#AF_INET} or {@link Libc#AF_INET6}), or empty when the socket stays as it is.
   */
  Optional<SocketCall> forFamily(int family);
}
