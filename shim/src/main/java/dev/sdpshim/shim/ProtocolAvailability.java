package dev.sdpshim.shim;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this kernel can make sockets of a protocol, found out once per protocol and family by
 * creating one and closing it again. Lets the decision layer report "SDP unavailable:
 * EAFNOSUPPORT" once at start-up instead of failing, or falling back, on every connect.
 */
final class ProtocolAvailability {
  private static final Logger LOG = LoggerFactory.getLogger(ProtocolAvailability.class);
  private static final ProtocolAvailability SYSTEM = new ProtocolAvailability();

  /**
   * The outcome of one probe.
   *
   * @param failure why the probe socket could not be made; null when it could
   */
  record Result(Protocol protocol, int family, NativeCallException failure) {
    boolean available() {
      return failure == null;
    }

    /** errno of the failed probe; 0 when available. */
    int errno() {
      return failure == null ? 0 : failure.errno();
    }
  }

  private record Key(Protocol protocol, int family) {
  }

  private final ConcurrentMap<Key, Result> results = new ConcurrentHashMap<>();

  /** The JVM-wide instance: the kernel's answer does not change while we run. */
  static ProtocolAvailability system() {
    return SYSTEM;
  }

  /** Probes (first call per protocol and family) or returns the cached result. */
  Result probe(Protocol protocol, int family) {
    return results.computeIfAbsent(new Key(protocol, family), ProtocolAvailability::probe);
  }

  boolean isAvailable(Protocol protocol, int family) {
    return probe(protocol, family).available();
  }

  private static Result probe(Key key) {
    Optional<SocketCall> call = key.protocol().replacement().forFamily(key.family());
    if (call.isEmpty()) {
      return new Result(key.protocol(), key.family(), null); // nothing to create: always there
    }
    int fd;
    try {
      fd = call.get().open();
    } catch (NativeCallException e) {
      LOG.debug("{} unavailable for {}: {}",
          key.protocol(), Libc.familyName(key.family()), e.getMessage());
      return new Result(key.protocol(), key.family(), e);
    }
    closeProbe(fd);
    LOG.debug("{} available for {}", key.protocol(), Libc.familyName(key.family()));
    return new Result(key.protocol(), key.family(), null);
  }

  /** A failed close says nothing about the protocol, and Linux frees the number regardless. */
  private static void closeProbe(int fd) {
    try {
      Libc.close(fd);
    } catch (NativeCallException e) {
      LOG.warn("closing probe socket {} failed", fd, e);
    }
  }
}
