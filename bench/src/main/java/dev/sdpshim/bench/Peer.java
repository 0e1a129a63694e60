package dev.sdpshim.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The other end of the socket benchmarks: a sink, an echo and an accept responder behind one
 * listener per {@link Wire}. The client names the service in its first byte:
 * <ul>
 *   <li>{@link #SINK}: everything it sends afterwards is read and discarded;
 *   <li>{@link #ECHO} and a 4-byte message size: every message of that size is sent back;
 *   <li>{@link #ACCEPT}: one byte comes back, proving the connection was accepted end to end;
 *       the client then resets the connection (SO_LINGER 0), so that neither side keeps a
 *       TIME_WAIT entry however many connections a trial makes.
 * </ul>
 * On loopback the benchmark runs its peer in-process ({@link Target}); for a remote target,
 * {@code bench/run --server} runs {@link #main} on the other host.
 */
final class Peer {
  static final byte SINK = 'S';
  static final byte ECHO = 'E';
  static final byte ACCEPT = 'A';
  /** The first listener's port of a remote peer; the others follow ({@link Wire#portOffset()}). */
  static final int DEFAULT_PORT = 18600;
  private static final int SINK_BUFFER = 256 * 1024;
  private static final int RESET_WAIT_MILLIS = 5_000;

  private Peer() {
  }

  /**
   * Accepts connections on {@code server} in a thread of {@code trial} until it closes. Accept
   * probes are answered on the accepting thread (a thread per connection would cost more than
   * the connection) and closed by a second one; sinks and echoes get a thread each.
   */
  static void serve(ServerSocket server, Trial trial) {
    BlockingQueue<Socket> answered = new LinkedBlockingQueue<>();
    trial.start("peer-closer-" + server.getLocalPort(), () -> {
      try {
        while (!server.isClosed() || !answered.isEmpty()) {
          Socket s = answered.poll(100, TimeUnit.MILLISECONDS);
          if (s != null) {
            awaitReset(s);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    trial.start("peer-" + server.getLocalPort(), () -> {
      while (true) {
        Socket s = server.accept();
        try {
          s.setTcpNoDelay(true);
          int service = s.getInputStream().read();
          if (service == ACCEPT) {
            s.getOutputStream().write(ACCEPT);
            s.setSoTimeout(RESET_WAIT_MILLIS); // a client that vanished does not hold the closer
            answered.add(s);
          } else if (service >= 0) {
            trial.track(s);
            trial.start("peer-conn-" + s.getPort(), () -> serve(s, service));
          } else {
            s.close();
          }
        } catch (SocketException e) {
          s.close(); // a client that reset before naming its service
        }
      }
    });
  }

  /** Serves {@code socket} whose first byte named {@code service}; returns at EOF. */
  static void serve(Socket socket, int service) throws IOException {
    try (socket) {
      InputStream in = socket.getInputStream();
      switch (service) {
        case SINK -> sink(in);
        case ECHO -> {
          byte[] size = new byte[4];
          if (readFully(in, size)) {
            echo(in, socket.getOutputStream(), ByteBuffer.wrap(size).getInt());
          }
        }
        default -> throw new IOException("unknown service byte " + service + " from " + socket.getRemoteSocketAddress());
      }
    }
  }

  /** Serves {@code socket} after reading the service byte from it (the client sends it first). */
  static void serve(Socket socket) throws IOException {
    serve(socket, socket.getInputStream().read());
  }

  /**
   * Closes an answered accept probe once the client has reset it: closing first would leave the
   * peer a TIME_WAIT entry per connection. Off the accepting thread, so that accepting never
   * waits for a reset to arrive.
   */
  private static void awaitReset(Socket s) {
    try (s) {
      while (s.getInputStream().read() >= 0) {
        // until the client's reset or close
      }
    } catch (IOException e) {
      // the client's reset: the expected end
    }
  }

  /** Reads and discards until EOF. */
  static void sink(InputStream in) throws IOException {
    byte[] buffer = new byte[SINK_BUFFER];
    while (in.read(buffer) >= 0) {
      // discard
    }
  }

  /** Sends back every {@code size}-byte message until EOF. */
  static void echo(InputStream in, OutputStream out, int size) throws IOException {
    byte[] message = new byte[size];
    while (readFully(in, message)) {
      out.write(message);
    }
  }

  /** Client side: asks the peer to discard what follows. */
  static void requestSink(Socket s) throws IOException {
    s.getOutputStream().write(SINK);
  }

  /** Client side: asks the peer to echo messages of {@code size} bytes. */
  static void requestEcho(Socket s, int size) throws IOException {
    s.getOutputStream().write(ByteBuffer.allocate(5).put(ECHO).putInt(size).array());
  }

  /** Client side: waits until the peer has accepted {@code s}, then resets it. */
  static void probeAccept(Socket s) throws IOException {
    try (s) {
      s.getOutputStream().write(ACCEPT);
      if (s.getInputStream().read() != ACCEPT) {
        throw new IOException("the peer at " + s.getRemoteSocketAddress() + " did not answer the accept probe");
      }
      s.setSoLinger(true, 0);
    }
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

  /**
   * {@code bench/run --server}: the peer of a remote benchmark run, listening on ADDRESS at PORT
   * (TCP), PORT+1 (MPTCP) and PORT+2 (SDP) until killed. A wire that cannot listen here is
   * reported and left out; the client's rows for it then say why.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    Options options = new Options()
        .addOption(Option.builder().longOpt("bind").hasArg().argName("ADDRESS").required()
            .desc("the address to listen on: the IPoIB address the client targets").build())
        .addOption(Option.builder().longOpt("port").hasArg().argName("PORT")
            .desc("the TCP listener's port; MPTCP and SDP use the next two (default " + DEFAULT_PORT + ")").build());
    CommandLine line;
    try {
      line = new DefaultParser().parse(options, args);
    } catch (ParseException e) {
      System.err.println("bench/run --server: " + e.getMessage());
      new HelpFormatter().printHelp("bench/run --server --bind ADDRESS [--port PORT]", options);
      System.exit(2);
      return;
    }
    InetAddress address = InetAddress.getByName(line.getOptionValue("bind"));
    int base;
    try {
      base = Integer.parseInt(line.getOptionValue("port", Integer.toString(DEFAULT_PORT)));
    } catch (NumberFormatException e) {
      System.err.println("bench/run --server: --port must be a number: " + line.getOptionValue("port"));
      System.exit(2);
      return;
    }
    Trial trial = new Trial();
    int listening = 0;
    for (Wire wire : Wire.values()) {
      int port = base + wire.portOffset();
      try {
        ServerSocket server = wire.listen(address, port, trial);
        serve(server, trial);
        listening++;
        System.out.printf("%-5s listening on %s:%d%n", wire, address.getHostAddress(), port);
      } catch (IOException e) {
        System.out.printf("%-5s not listening: %s%n", wire, e.getMessage());
      }
    }
    if (listening == 0) {
      System.err.println("bench/run --server: no listener could be opened");
      System.exit(1);
    }
    System.out.println("peer ready; the client runs: bench/run quick SocketBenchmark -p target="
        + address.getHostAddress() + ":" + base);
    Thread.currentThread().join();
  }
}
