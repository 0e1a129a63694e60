package dev.sdpshim.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A cluster member in a process of its own, for the tests that kill or stop a process:
 * {@code ChildMember CLUSTER NAME PORT PEER_PORT,PEER_PORT,... SECRET}. Prints {@code JOINED ID}
 * once in the cluster, then lives until killed.
 */
public final class ChildMember {
  private ChildMember() {
  }

  public static void main(String[] args) throws Exception {
    List<InetSocketAddress> peers = Arrays.stream(args[3].split(","))
        .map(p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(p))).toList();
    ClusterMember member = ClusterMember.builder(args[0], args[4].getBytes(StandardCharsets.UTF_8))
        .name(args[1]).bind(InetAddress.getLoopbackAddress(), Integer.parseInt(args[2])).peers(peers)
        .start();
    System.out.println("JOINED " + member.self().id());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
