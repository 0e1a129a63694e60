package dev.sdpshim.samples.echo;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A line echo client on plain {@link Socket}: connects (without binding first), sends each line,
 * reads one reply per line.
 *
 * <p>Nothing here knows about sdp-shim: run with {@code -javaagent:shim-VERSION-agent.jar
 * -Dcom.sun.sdp.conf=FILE} and a {@code connect} rule for the server's address, and the socket
 * is converted at its connect.
 */
public final class EchoClient {
  private EchoClient() {
  }

  /**
   * Connects to {@code server}, sends {@code lines} one by one and returns the replies, in order.
   *
   * @param timeout bounds the connect and each read
   * @throws EOFException if the server closes the connection before replying to every line
   */
  public static List<String> exchange(InetSocketAddress server, List<String> lines,
      Duration timeout) throws IOException {
    int millis = Math.toIntExact(timeout.toMillis());
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(millis);
      socket.connect(server, millis); // unbound: judged by the connect rules
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter out = new PrintWriter(
          new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
      List<String> replies = new ArrayList<>();
      for (String line : lines) {
        out.println(line);
        String reply = in.readLine();
        if (reply == null) {
          throw new EOFException("the server at " + server + " closed the connection after "
              + replies.size() + " of " + lines.size() + " replies");
        }
        replies.add(reply);
      }
      socket.shutdownOutput(); // tells the server we are done
      return replies;
    }
  }

  /**
   * {@code EchoClient HOST PORT [LINE...]}: sends the lines (default: three short ones) and
   * prints each reply; exit status 1 if a reply differs from its line.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: EchoClient HOST PORT [LINE...]");
      System.exit(2);
    }
    InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    List<String> lines = args.length > 2
        ? Arrays.asList(args).subList(2, args.length)
        : EchoDemo.LINES;
    List<String> replies = exchange(server, lines, Duration.ofSeconds(10));
    boolean same = true;
    for (int i = 0; i < lines.size(); i++) {
      System.out.println("sent " + lines.get(i) + ", got back " + replies.get(i));
      same &= lines.get(i).equals(replies.get(i));
    }
    if (!same) {
      System.exit(1);
    }
  }
}
