package dev.sdpshim.shim;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The {@code -Dcom.sun.sdp.debug[=file]} log: one line per decision in the JDK's format, e.g.
 * {@code CONNECT to 192.0.2.1:80 (socket converted to SDP protocol)} or
 * {@code BIND to [0:0:0:0:0:0:0:1]:5000 (no match)}. An empty property value means standard
 * output, anything else a file appended to. This is the JDK's contract, and the one place the
 * shim writes outside SLF4J; the stream is obtained once, when the shim is created.
 */
final class DebugLog implements AutoCloseable {
  private static final DebugLog NONE = new DebugLog(null, false);

  private final PrintStream out;
  private final boolean owned;

  private DebugLog(PrintStream out, boolean owned) {
    this.out = out;
    this.owned = owned;
  }

  static DebugLog none() {
    return NONE;
  }

  /** Writes to {@code out}, which the caller keeps and closes. */
  static DebugLog to(PrintStream out) {
    return new DebugLog(out, false);
  }

  /** Appends to {@code file}, creating it if need be; closed with the shim. */
  static DebugLog appendingTo(Path file) {
    try {
      return new DebugLog(new PrintStream(new FileOutputStream(file.toFile(), true), true,
          StandardCharsets.UTF_8), true);
    } catch (IOException e) {
      throw new InvalidConfigException("Cannot open the com.sun.sdp.debug log " + file + ": " + e, e);
    }
  }

  boolean enabled() {
    return out != null;
  }

  /** {@code CONNECT to 192.0.2.1:80}, or {@code BIND to [::1]:5000} as the JDK writes IPv6. */
  static String subject(String action, InetAddress address, int port) {
    String host = address.getHostAddress();
    return action + " to " + (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }

  /** Writes {@code subject (outcome)} as one line; println is atomic per line. */
  void line(String subject, String outcome) {
    if (out != null) {
      out.println(subject + " (" + outcome + ")");
    }
  }

  @Override
  public void close() {
    if (owned) {
      out.close();
    }
  }
}
