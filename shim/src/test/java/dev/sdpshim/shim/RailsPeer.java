package dev.sdpshim.shim;

import dev.sdpshim.conf.SdpConfig;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One end of {@link RailsIT}, run in a network namespace ({@code ip netns exec NS java ...}):
 * <ul>
 *   <li>{@code server RULES PROTOCOL PORT RAILS...}: a {@link RailServer} on every rail of each
 *       RAILS group, all on PORT; each connection says 'H' (answered with the server's local
 *       address, then held until EOF) or 'S' (a stream: read to EOF, answered with byte count and
 *       SHA-256); exits when stdin ends or says quit;</li>
 *   <li>{@code client RULES PROTOCOL RAILS}: a {@link RailGroup} driven by commands on stdin, one
 *       answer line each on stdout (see {@link #command}).</li>
 * </ul>
 * RAILS and RULES are files; PROTOCOL is the shim's target (tcp: a dry run, nothing converted).
 */
public final class RailsPeer {
  private final RailGroup group;
  private final List<Socket> open = new ArrayList<>();
  private CompletableFuture<String> stream;

  private RailsPeer(RailGroup group) {
    this.group = group;
  }

  public static void main(String[] args) throws Exception {
    SdpShim shim = SdpShim.builder().name("peer").config(SdpConfig.parse(Path.of(args[1])))
        .protocol(Protocol.parse(args[2], "protocol")).build();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (args[0].equals("server")) {
      int port = Integer.parseInt(args[3]);
      for (int i = 4; i < args.length; i++) {
        RailServer server = RailGroup.builder(shim).name("peer-" + i).config(Path.of(args[i])).build().listen(port);
        port = server.port();
        Thread.ofPlatform().daemon().start(() -> serve(server));
      }
      out.println("READY " + port);
      for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
        out.println("ERR the server takes no commands");
      }
      System.exit(0);
    }
    RailsPeer peer = new RailsPeer(RailGroup.builder(shim).name("peer").config(Path.of(args[3])).build());
    out.println("READY");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String answer;
      try {
        answer = peer.command(line.split(" "));
      } catch (Exception e) {
        answer = "ERR " + e;
      }
      out.println(answer);
    }
    System.exit(0);
  }

  private static void serve(RailServer server) {
    try {
      while (true) {
        SocketChannel accepted = server.accept();
        Thread.ofPlatform().daemon().start(() -> handle(accepted.socket()));
      }
    } catch (IOException e) {
      System.err.println("server: accept failed: " + e);
    }
  }

  private static void handle(Socket socket) {
    try (socket) {
      socket.setSoTimeout(60_000);
      InputStream in = socket.getInputStream();
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      int kind = in.read();
      if (kind == 'H') {
        out.writeUTF(socket.getLocalAddress().getHostAddress());
        out.flush();
        in.read(); // held open until the client closes
      } else if (kind == 'S') {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[65536];
        long n = 0;
        for (int r = in.read(buffer); r > 0; r = in.read(buffer)) {
          sha.update(buffer, 0, r);
          n += r;
        }
        out.writeUTF(n + " " + HexFormat.of().formatHex(sha.digest()));
        out.flush();
      }
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      System.err.println("server: " + e);
    }
  }

  /**
   * {@code open N HOST PORT}: N connections, kept open; answers {@code OK rail rail ...}, each
   * checked against the server's address the connection reached.
   * {@code close RAIL|all}; {@code stats} (per rail: name, up, open, connects, failovers,
   * failbacks, last failure reason, hedges); {@code mbeans} (the same, read through JMX);
   * {@code stream HOST PORT BYTES}: starts sending BYTES random bytes at 16 MiB/s, answers the
   * rail; {@code streamed}: waits for it, answers {@code SENT n sha SERVER n sha};
   * {@code shimstats}: connections converted per protocol.
   */
  private String command(String[] c) throws Exception {
    switch (c[0]) {
      case "open" -> {
        StringBuilder rails = new StringBuilder("OK");
        for (int i = 0; i < Integer.parseInt(c[1]); i++) {
          long start = System.nanoTime();
          Socket s = group.socketFactory().createSocket(c[2], Integer.parseInt(c[3]));
          long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
          open.add(s);
          s.setSoTimeout(10_000);
          s.getOutputStream().write('H');
          String serverSide = new DataInputStream(s.getInputStream()).readUTF();
          String rail = railOf(s.getLocalAddress());
          String expected = group.config().peerOn(group.config().railOf(s.getLocalAddress()),
              InetAddress.getByName(c[2])).getHostAddress();
          if (!serverSide.equals(expected)) {
            return "ERR connection on rail " + rail + " reached " + serverSide + ", not " + expected;
          }
          rails.append(' ').append(rail).append(':').append(micros);
        }
        return rails.toString();
      }
      case "close" -> {
        for (Socket s : new ArrayList<>(open)) {
          if (c[1].equals("all") || railOf(s.getLocalAddress()).equals(c[1])) {
            s.close();
            open.remove(s);
          }
        }
        return "OK";
      }
      case "stats" -> {
        StringBuilder sb = new StringBuilder("STATS");
        for (RailStatistics.RailCounts r : group.statistics().rails()) {
          sb.append(' ').append(String.join(",", r.name(), Boolean.toString(r.up()), Long.toString(r.open()),
              Long.toString(r.connects()), Long.toString(r.failovers()), Long.toString(r.failbacks()),
              r.lastFailureReason().replace(' ', '_'), Long.toString(r.hedges())));
        }
        return sb.toString();
      }
      case "mbeans" -> {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StringBuilder sb = new StringBuilder("STATS");
        for (RailStatistics.RailCounts r : group.statistics().rails()) {
          ObjectName name = ShimMBeans.railName(group.name(), r.name());
          sb.append(' ').append(String.join(",", (String) server.getAttribute(name, "Name"),
              server.getAttribute(name, "Up").toString(), server.getAttribute(name, "Open").toString(),
              server.getAttribute(name, "Connects").toString(), server.getAttribute(name, "Failovers").toString(),
              server.getAttribute(name, "Failbacks").toString(),
              ((String) server.getAttribute(name, "LastFailureReason")).replace(' ', '_'),
              server.getAttribute(name, "Hedges").toString()));
        }
        return sb.toString();
      }
      case "stream" -> {
        Socket s = group.socketFactory().createSocket(c[1], Integer.parseInt(c[2]));
        long bytes = Long.parseLong(c[3]);
        stream = CompletableFuture.supplyAsync(() -> send(s, bytes));
        return "OK " + railOf(s.getLocalAddress());
      }
      case "streamed" -> {
        return stream.get(120, TimeUnit.SECONDS);
      }
      case "shimstats" -> {
        return "OK " + group.shim().statistics().protocols().get(Protocol.MPTCP).total();
      }
      default -> {
        return "ERR unknown command " + c[0];
      }
    }
  }

  /** Sends {@code bytes} pseudo-random bytes, paced, then reads the server's count and digest. */
  private static String send(Socket s, long bytes) {
    try (s) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write('S');
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      Random random = new Random(7);
      byte[] chunk = new byte[16384];
      long sent = 0;
      long start = System.nanoTime();
      while (sent < bytes) {
        random.nextBytes(chunk);
        int n = (int) Math.min(chunk.length, bytes - sent);
        out.write(chunk, 0, n);
        sha.update(chunk, 0, n);
        sent += n;
        long due = start + sent * 1_000_000_000L / (16L << 20); // 16 MiB/s: the stream lasts seconds
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      s.shutdownOutput();
      String server = new DataInputStream(s.getInputStream()).readUTF();
      return "SENT " + sent + " " + HexFormat.of().formatHex(sha.digest()) + " SERVER " + server;
    } catch (Exception e) {
      return "ERR stream: " + e;
    }
  }

  private String railOf(InetAddress local) {
    int index = group.config().railOf(local);
    return index < 0 ? "none" : group.config().rails().get(index).name();
  }
}
