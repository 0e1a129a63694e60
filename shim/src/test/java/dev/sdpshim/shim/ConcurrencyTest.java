package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Eight threads make, convert and close sockets through one shim for a bounded time; each
 * checks its own sockets, and at the end the shared counters equal the sum of what they did.
 */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** Bounds the connects, so that TIME_WAIT never exhausts the ephemeral ports. */
  private static final int MAX_ROUNDS_PER_THREAD = 1_500;

  /** What one thread did. */
  private record Done(long binds, long connects, long unmatched) {
  }

  @Test
  void eightThreadsConvertingAndClosingLeaveConsistentCounters() throws Exception {
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.1 *", "connect 127.0.0.1 *");
        ServerSocket server = new ServerSocket(0, 200, IPV4)) {
      AtomicLong accepted = new AtomicLong();
      Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
        while (!server.isClosed()) {
          try {
            server.accept().close();
            accepted.incrementAndGet();
          } catch (IOException e) {
            return; // closed
          }
        }
      });
      InetSocketAddress remote = (InetSocketAddress) server.getLocalSocketAddress();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<Done>> results = new ArrayList<>();
      long deadline = System.nanoTime() + RUN_NANOS;
      for (int t = 0; t < THREADS; t++) {
        results.add(pool.submit(() -> work(s.shim, remote, deadline)));
      }
      long binds = 0;
      long connects = 0;
      long unmatched = 0;
      for (Future<Done> f : results) {
        Done d = f.get(30, TimeUnit.SECONDS);
        binds += d.binds();
        connects += d.connects();
        unmatched += d.unmatched();
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
      server.close();
      acceptor.join(TIMEOUT_MS);

      ShimStatistics stats = s.stats();
      assertTrue(binds > THREADS && connects > THREADS, "each thread did some of each");
      assertEquals(binds, stats.rule(1).matched());
      assertEquals(binds, stats.rule(1).converted());
      assertEquals(connects, stats.rule(2).matched());
      assertEquals(connects, stats.rule(2).converted());
      assertEquals(binds + unmatched, stats.bindChecks());
      assertEquals(connects, stats.connectChecks());
      assertEquals(unmatched, stats.noMatch());
      assertEquals(new ShimStatistics.ProtocolCounts(Protocol.MPTCP, 0, binds + connects),
          stats.protocols().get(Protocol.MPTCP));
      assertEquals(0, stats.protocols().get(Protocol.TCP).total());
      assertEquals(List.of(), s.warnings());
    }
  }

  /** Rotates through a converting bind, a converting connect, and a bind no rule matches. */
  private static Done work(SdpShim shim, InetSocketAddress remote, long deadline) throws Exception {
    long binds = 0;
    long connects = 0;
    long unmatched = 0;
    for (int i = 0; i < MAX_ROUNDS_PER_THREAD && System.nanoTime() < deadline; i++) {
      switch (i % 4) {
        case 0 -> {
          try (Socket socket = shim.socketFactory().createSocket(remote.getAddress(), remote.getPort())) {
            assertEquals(Libc.IPPROTO_MPTCP, Loopback.protocolOf(SocketDescriptors.fd(socket)));
          }
          connects++;
        }
        case 1, 2 -> {
          try (SocketChannel channel = shim.openSocketChannel()) {
            shim.bind(channel, new InetSocketAddress(IPV4, 0));
            assertEquals(Libc.IPPROTO_MPTCP, Loopback.protocolOf(SocketDescriptors.fd(channel)));
          }
          binds++;
        }
        default -> {
          try (Socket socket = shim.socketFactory().createSocket()) {
            socket.bind(new InetSocketAddress(Loopback.IPV6, 0));
            assertEquals(Libc.IPPROTO_TCP, Loopback.protocolOf(SocketDescriptors.fd(socket)));
          }
          unmatched++;
        }
      }
    }
    return new Done(binds, connects, unmatched);
  }
}
