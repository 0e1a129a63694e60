package dev.sdpshim.shim;

import java.io.IOException;

/**
 * A libc call made by the shim failed. Carries errno so that callers can tell "this kernel has no
 * such protocol" (EAFNOSUPPORT, EPROTONOSUPPORT) from "this socket cannot take that option"
 * (EOPNOTSUPP, ENOPROTOOPT) and pick a fallback accordingly.
 */
public final class NativeCallException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final int errno;
  private final String description;

  NativeCallException(String call, int errno, String description) {
    super(call + " failed: " + Errno.name(errno) + " (" + description + ")");
    this.call = call;
    this.errno = errno;
    this.description = description;
  }

  /** The call as it was made, e.g. {@code socket(AF_INET_SDP, SOCK_STREAM, 0)}. */
  public String call() {
    return call;
  }

  /** The errno the call left behind, e.g. 97. */
  public int errno() {
    return errno;
  }

  /** The symbolic name of {@link #errno()}, e.g. {@code EAFNOSUPPORT}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  /** The C library's text for {@link #errno()}, e.g. {@code Address family not supported by protocol}. */
  public String errnoDescription() {
    return description;
  }
}
