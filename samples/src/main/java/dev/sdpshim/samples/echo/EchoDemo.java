package dev.sdpshim.samples.echo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Starts an {@link EchoServer} on 127.0.0.1 in this JVM, runs {@link #CLIENTS} {@link EchoClient}s
 * against it one after the other, and prints a summary. Exit status 0 when every line came back
 * unchanged and the server stopped by itself after the last client, 1 otherwise.
 *
 * <p>Plain {@code java.net} code, no sdp-shim API: that is the point. Whether its sockets are
 * converted is decided by the agent and {@code -Dcom.sun.sdp.conf} alone (see
 * {@code samples/run-echo}). Usage: {@code EchoDemo [PORT]}, default 7000.
 */
public final class EchoDemo {
  /** The port the demo and {@code samples/echo/sdp.conf} use unless told otherwise. */
  public static final int DEFAULT_PORT = 7000;
  /** How many clients the demo runs; the server stops after that many. */
  public static final int CLIENTS = 2;
  /** What each client sends. */
  public static final List<String> LINES = List.of("hello", "plain java.net sockets", "bye");

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private EchoDemo() {
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
    boolean ok = true;
    int echoed = 0;
    try (EchoServer server = new EchoServer(address, CLIENTS, TIMEOUT)) {
      server.start();
      System.out.println("echo server listening on " + text(server.address()) + ", stops after "
          + CLIENTS + " clients");
      for (int client = 1; client <= CLIENTS; client++) {
        List<String> replies = EchoClient.exchange(server.address(), LINES, TIMEOUT);
        boolean same = replies.equals(LINES);
        ok &= same;
        echoed += same ? replies.size() : 0;
        System.out.println("client " + client + ": sent " + LINES + ", got back " + replies
            + (same ? "" : "  <-- DIFFERENT"));
      }
      boolean stopped = server.awaitTermination(TIMEOUT);
      ok &= stopped && server.failures().isEmpty();
      server.failures().forEach(f -> System.err.println("echo server: " + f));
      System.out.println("echo demo: " + CLIENTS + " clients, " + echoed + "/"
          + CLIENTS * LINES.size() + " lines echoed unchanged; the server served "
          + server.clientsServed() + " clients, " + server.linesEchoed() + " lines, and "
          + (stopped ? "stopped" : "did NOT stop within " + TIMEOUT.toSeconds() + " s")
          + (ok ? "" : "; FAILED"));
    }
    if (!ok) {
      System.exit(1);
    }
  }

  private static String text(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
