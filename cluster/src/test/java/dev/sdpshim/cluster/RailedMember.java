package dev.sdpshim.cluster;

import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.shim.Protocol;
import dev.sdpshim.shim.RailGroup;
import dev.sdpshim.shim.RailStatistics;
import dev.sdpshim.shim.SdpShim;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A cluster member over rails, in a child JVM inside a network namespace ({@link RailedClusterIT},
 * through the shim's {@code PeerProcess}):
 * {@code RailedMember NAME CLUSTER ADDRESS PORT PEER,PEER,... RAILS RULES}, where PEER is
 * {@code ADDRESS:PORT} and RAILS and RULES are files (the shim's target is TCP: SDP does not exist
 * here, and MPTCP refuses TCP_USER_TIMEOUT). Prints {@code READY} once in a view, then answers
 * one line per command:
 * <ul>
 *   <li>{@code view}: {@code VIEW SIZE CHANGES NAMES} — CHANGES counts views since READY;</li>
 *   <li>{@code stream N MILLIS}: sends N messages to all, one every MILLIS ms, in the background;</li>
 *   <li>{@code sent}: how many of them are sent;</li>
 *   <li>{@code received}: per sender {@code NAME:COUNT:VIOLATIONS:MAXGAP_MS}, where a violation is
 *       a sequence number other than the next one expected (a loss, duplicate or reordering) and
 *       MAXGAP the longest time between two of its messages;</li>
 *   <li>{@code rails}: per rail {@code NAME:CONNECTS:OPEN:FAILOVERS};</li>
 *   <li>{@code threads}: a thread dump to standard error (the log), for a failed test.</li>
 * </ul>
 */
public final class RailedMember {
  /** What one sender's messages looked like here. */
  private static final class Sender {
    int next;
    int count;
    int violations;
    long last;
    long maxGap;

    synchronized void received(int seq) {
      long now = System.nanoTime();
      if (count > 0) {
        maxGap = Math.max(maxGap, now - last);
      }
      last = now;
      count++;
      if (seq != next) {
        violations++;
      }
      next = seq + 1;
    }

    synchronized String describe() {
      return count + ":" + violations + ":" + maxGap / 1_000_000;
    }
  }

  private RailedMember() {
  }

  public static void main(String[] args) throws Exception {
    List<InetSocketAddress> peers = Arrays.stream(args[4].split(",")).map(p -> {
      int colon = p.lastIndexOf(':');
      return new InetSocketAddress(p.substring(0, colon), Integer.parseInt(p.substring(colon + 1)));
    }).toList();
    SdpShim shim = SdpShim.builder().name(args[0]).config(SdpConfig.parse(Path.of(args[6])))
        .protocol(Protocol.TCP).build();
    RailGroup rails = RailGroup.builder(shim).name(args[0]).config(Path.of(args[5])).build();
    Map<String, Sender> senders = new ConcurrentHashMap<>();
    AtomicInteger views = new AtomicInteger();
    ClusterMember member = ClusterMember.builder(args[1], TestCluster.SECRET).name(args[0])
        .bind(InetAddress.getByName(args[2]), Integer.parseInt(args[3])).peers(peers).rails(rails)
        .onMessage((from, payload) -> senders.computeIfAbsent(from.name(), k -> new Sender())
            .received(ByteBuffer.wrap(payload).getInt()))
        .listener(new ClusterListener() {
          @Override
          public void membersChanged(List<Member> members) {
            views.incrementAndGet();
          }
        })
        .start();
    int atReady = views.get();
    AtomicInteger sent = new AtomicInteger();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      String[] w = line.split(" ");
      try {
        out.println(switch (w[0]) {
          case "view" -> "VIEW " + member.members().size() + " " + (views.get() - atReady) + " "
              + member.members().stream().map(Member::name).collect(Collectors.joining(","));
          case "stream" -> {
            int n = Integer.parseInt(w[1]);
            long pause = Long.parseLong(w[2]);
            Thread.ofPlatform().daemon().name("stream").start(() -> {
              try {
                for (int i = 0; i < n; i++) {
                  member.sendToAll(ByteBuffer.allocate(4).putInt(i).array());
                  sent.incrementAndGet();
                  Thread.sleep(pause);
                }
              } catch (Exception e) {
                System.err.println("stream stopped: " + e);
              }
            });
            yield "STREAMING";
          }
          case "sent" -> "SENT " + sent.get();
          case "received" -> "RECEIVED " + new TreeMap<>(senders).entrySet().stream()
              .map(e -> e.getKey() + ":" + e.getValue().describe()).collect(Collectors.joining(" "));
          case "rails" -> "RAILS " + rails.statistics().rails().stream()
              .map(r -> r.name() + ":" + r.connects() + ":" + r.open() + ":" + r.failovers())
              .collect(Collectors.joining(" "));
          case "threads" -> { // for a failed test: where every thread is, in the log
            Thread.getAllStackTraces().forEach((t, stack) -> System.err.println("THREAD " + t + "\n  "
                + Arrays.stream(stack).map(String::valueOf).collect(Collectors.joining("\n  "))));
            yield "THREADS";
          }
          default -> "ERR unknown command " + line;
        });
      } catch (RuntimeException e) {
        out.println("ERR " + e);
      }
    }
    member.close();
    System.exit(0);
  }
}
