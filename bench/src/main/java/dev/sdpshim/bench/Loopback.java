package dev.sdpshim.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback helpers shared by the socket benchmarks: a peer thread that drains or echoes a
 * connection, and closing everything a trial opened. Only 127.0.0.1.
 */
final class Loopback {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /** The streaming write size. */
  static final int STREAM_CHUNK = 64 * 1024;
  /** The ping-pong message size. */
  static final int PING_SIZE = 64;

  private final List<AutoCloseable> open = new ArrayList<>();
  private Thread peer;

  <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  /** Accepts one connection of {@code server} now (the client has connected already). */
  Socket accept(ServerSocket server) throws IOException {
    Socket s = track(server.accept());
    s.setTcpNoDelay(true);
    return s;
  }

  /** A daemon thread reading and discarding everything {@code socket} receives until EOF or close. */
  void drain(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    start("drain", () -> {
      byte[] buffer = new byte[STREAM_CHUNK];
      while (in.read(buffer) >= 0) {
        // discard
      }
    });
  }

  /** A daemon thread sending back every {@value #PING_SIZE}-byte message {@code socket} receives. */
  void echo(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    start("echo", () -> {
      byte[] message = new byte[PING_SIZE];
      while (readFully(in, message)) {
        out.write(message);
      }
    });
  }

  /** Reads exactly {@code b.length} bytes; false at a clean EOF before the first byte. */
  static boolean readFully(InputStream in, byte[] b) throws IOException {
    int n = 0;
    while (n < b.length) {
      int r = in.read(b, n, b.length - n);
      if (r < 0) {
        if (n == 0) {
          return false;
        }
        throw new EOFException("peer closed mid-message");
      }
      n += r;
    }
    return true;
  }

  private interface IoLoop {
    void run() throws IOException;
  }

  private void start(String name, IoLoop loop) {
    peer = new Thread(() -> {
      try {
        loop.run();
      } catch (IOException e) {
        // the trial closed the socket
      }
    }, "loopback-" + name);
    peer.setDaemon(true);
    peer.start();
  }

  /** Closes everything in reverse order of opening, then waits briefly for the peer thread. */
  void closeAll() throws InterruptedException {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        // closing anyway
      }
    }
    open.clear();
    if (peer != null) {
      peer.join(5_000);
      peer = null;
    }
  }
}
