package dev.sdpshim.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A {@link Trial} on 127.0.0.1 whose benchmark makes both ends itself (the agent benchmarks):
 * accepting, and serving the accepted end with the {@link Peer}'s echo loop.
 */
final class Loopback extends Trial {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /** The ping-pong message size. */
  static final int PING_SIZE = 64;

  /** Accepts one connection of {@code server} now (the client has connected already). */
  Socket accept(ServerSocket server) throws IOException {
    Socket s = track(server.accept());
    s.setTcpNoDelay(true);
    return s;
  }

  /**
   * The rest of one connect+accept benchmark op after {@code client} connected: accepts it, and
   * closes both ends with SO_LINGER 0 on the client, so that no TIME_WAIT piles up.
   */
  static void acceptAndReset(ServerSocket server, Socket client) throws IOException {
    Socket accepted = server.accept();
    client.setSoLinger(true, 0);
    client.close();
    accepted.close();
  }

  /** A daemon thread sending back every {@value #PING_SIZE}-byte message {@code socket} receives. */
  void echo(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    var out = socket.getOutputStream();
    start("echo", () -> Peer.echo(in, out, PING_SIZE));
  }
}
