package dev.sdpshim.shim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts an application's TCP socket to another protocol in place: a socket of the target
 * protocol is created, given the old one's options and flags, and dup3-ed over the old
 * descriptor. The application (and the JDK object holding the descriptor) keeps its number and
 * never notices, which is what lets the conversion happen inside bind/connect.
 *
 * <p>Either the descriptor ends up as the new socket, or it is left exactly as it was and the
 * replacement is closed: the caller may then go on with TCP. The caller must own the socket
 * exclusively during the call; another thread setting options meanwhile could lose its update.
 */
final class SocketConverter {
  private static final Logger LOG = LoggerFactory.getLogger(SocketConverter.class);

  private SocketConverter() {
  }

  /**
   * Converts {@code fd} to {@code target}.
   *
   * @return true if the socket was replaced; false if there was nothing to do (TCP, or the socket
   *     already is of the target protocol)
   * @throws NativeCallException if a libc call fails, e.g. EAFNOSUPPORT for SDP on a kernel
   *     without it; the socket is then unchanged
   * @throws IOException if {@code fd} is not an unbound IPv4/IPv6 stream socket
   */
  static boolean convert(int fd, Protocol target) throws IOException {
    return convert(fd, target.replacement());
  }

  /** As {@link #convert(int, Protocol)}, for any replacement (tests use a plain TCP one). */
  static boolean convert(int fd, ReplacementSocket replacement) throws IOException {
    int family = checkConvertible(fd);
    Optional<SocketCall> call = replacement.forFamily(family);
    if (call.isEmpty() || isAlready(fd, family, call.get())) {
      return false;
    }
    replace(fd, family, call.get());
    return true;
  }

  /**
   * Only an unbound IP stream socket can be replaced: a bound one would silently lose its
   * address (and a connected or listening one its peer or queue) in the swap.
   */
  private static int checkConvertible(int fd) throws IOException {
    int family = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_DOMAIN);
    int type = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_TYPE);
    if ((family != Libc.AF_INET && family != Libc.AF_INET6) || type != Libc.SOCK_STREAM) {
      throw new IOException("fd " + fd + " is not an AF_INET/AF_INET6 stream socket (domain "
          + Libc.familyName(family) + ", type " + type + "); only those can be converted");
    }
    int port = Libc.localPort(fd);
    if (port != 0) {
      throw new IOException("fd " + fd + " is already bound (local port " + port
          + "); a socket can only be converted before bind and connect");
    }
    return family;
  }

  private static boolean isAlready(int fd, int family, SocketCall call)
      throws NativeCallException {
    return call.domain() == family
        && call.protocol() == Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_PROTOCOL);
  }

  private static void replace(int fd, int family, SocketCall call) throws IOException {
    int fresh = call.open();
    List<CopiedOption> copied;
    try {
      copied = copyOptions(fd, fresh, family, call.domain());
      copyNonBlocking(fd, fresh);
      // dup3 is atomic: on failure fd still is the old socket, on success the old one is gone.
      Libc.dup3(fresh, fd, closeOnExecOf(fd));
    } catch (IOException | RuntimeException | Error e) {
      closeAfterFailure(fresh, e);
      throw e;
    }
    closeSpare(fresh);
    LOG.debug("fd {} ({}) replaced by {}; options copied: {}",
        fd, Libc.familyName(family), call, copied);
  }

  private static List<CopiedOption> copyOptions(int from, int to, int fromFamily, int toFamily)
      throws NativeCallException {
    List<CopiedOption> copied = new ArrayList<>();
    for (CopiedOption option : CopiedOption.values()) {
      if (option.appliesTo(fromFamily, toFamily) && option.copy(from, to)) {
        copied.add(option);
      }
    }
    return copied;
  }

  /** O_NONBLOCK is a property of the open file, so it does not travel with dup3. */
  private static void copyNonBlocking(int from, int to) throws NativeCallException {
    int wanted = Libc.fcntl(from, Libc.F_GETFL) & Libc.O_NONBLOCK;
    int flags = Libc.fcntl(to, Libc.F_GETFL);
    if ((flags & Libc.O_NONBLOCK) != wanted) {
      Libc.fcntl(to, Libc.F_SETFL, (flags & ~Libc.O_NONBLOCK) | wanted);
    }
  }

  /** FD_CLOEXEC belongs to the descriptor number, which dup3 resets unless told otherwise. */
  private static int closeOnExecOf(int fd) throws NativeCallException {
    return (Libc.fcntl(fd, Libc.F_GETFD) & Libc.FD_CLOEXEC) != 0 ? Libc.O_CLOEXEC : 0;
  }

  private static void closeAfterFailure(int fresh, Throwable failure) {
    try {
      Libc.close(fresh);
    } catch (NativeCallException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * After dup3 the replacement socket is reachable through the application's fd; the spare
   * number must go. Linux frees it even when close reports an error, so only log.
   */
  private static void closeSpare(int fresh) {
    try {
      Libc.close(fresh);
    } catch (NativeCallException e) {
      LOG.warn("closing spare descriptor {} after conversion failed", fresh, e);
    }
  }
}
