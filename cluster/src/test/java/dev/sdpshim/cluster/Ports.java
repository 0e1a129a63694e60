package dev.sdpshim.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for cluster members: each port and port + 100 (FD_SOCK2's) are free now. */
final class Ports {
  private static final int FD_SOCK2_OFFSET = 100;

  private Ports() {
  }

  static List<Integer> free(int count) throws IOException {
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < count) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      if (port + FD_SOCK2_OFFSET < 65536 && isFree(port + FD_SOCK2_OFFSET) && !ports.contains(port)
          && ports.stream().noneMatch(p -> Math.abs(p - port) == FD_SOCK2_OFFSET)) {
        ports.add(port);
      }
    }
    return ports;
  }

  static List<InetSocketAddress> loopback(List<Integer> ports) {
    return ports.stream().map(p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), p)).toList();
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
