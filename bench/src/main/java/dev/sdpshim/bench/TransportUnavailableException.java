package dev.sdpshim.bench;

import java.io.IOException;

/**
 * A transport cannot run against this target, for the reason in the message (for SDP here: the
 * kernel has no AF_INET_SDP, EAFNOSUPPORT). The benchmark records it with {@link Skips} instead of
 * measuring something else.
 */
final class TransportUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  TransportUnavailableException(String message) {
    super(message);
  }

  TransportUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
