package dev.sdpshim.conf;

/** The two kinds of rule in a {@code com.sun.sdp.conf} file. */
public enum Action {
  /** Consulted before a TCP socket binds, with the local address and port as given. */
  BIND,
  /** Consulted before an <em>unbound</em> TCP socket connects, with the remote address and port. */
  CONNECT;

  /** The keyword as written in the file (lower case). */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
