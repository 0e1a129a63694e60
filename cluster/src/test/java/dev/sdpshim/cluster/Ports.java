package dev.sdpshim.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for cluster members: each port and port + 100 (FD_SOCK2's) are free now.
 * They are taken below the kernel's ephemeral range: a port from that range that is free now can
 * be handed to the next outgoing connection (the members' own, among others) before the member
 * that was meant to listen on it binds it.
 */
final class Ports {
  private static final int FD_SOCK2_OFFSET = 100;
  private static final int LOWEST = 10_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private Ports() {
  }

  static List<Integer> free(int count) throws IOException {
    int end = firstEphemeralPort() - FD_SOCK2_OFFSET; // exclusive: port + 100 stays below it too
    if (end - LOWEST < 8 * count * FD_SOCK2_OFFSET) {
      throw new IOException("the ephemeral port range starts at " + (end + FD_SOCK2_OFFSET)
          + ": too low to pick listening ports below it");
    }
    List<Integer> ports = new ArrayList<>();
    // A random start, so that clusters of consecutive tests do not meet each other's TIME_WAITs.
    int port = ThreadLocalRandom.current().nextInt(LOWEST, end - 4 * count * FD_SOCK2_OFFSET);
    for (; ports.size() < count && port < end; port++) {
      int candidate = port;
      if (isFree(candidate) && isFree(candidate + FD_SOCK2_OFFSET)
          && ports.stream().noneMatch(p -> Math.abs(p - candidate) == FD_SOCK2_OFFSET)) {
        ports.add(candidate);
      }
    }
    if (ports.size() < count) {
      throw new IOException("fewer than " + count + " free port pairs between " + LOWEST + " and " + end);
    }
    return ports;
  }

  static List<InetSocketAddress> loopback(List<Integer> ports) {
    return ports.stream().map(p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), p)).toList();
  }

  /** The low end of net.ipv4.ip_local_port_range (Linux's default, 32768, if it cannot be read). */
  private static int firstEphemeralPort() {
    try {
      // readAllLines, not readString: /proc reports a size of 0, and readString then stops after one byte.
      return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
