package dev.sdpshim.cluster;

import dev.sdpshim.shim.SdpShim;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jgroups.JChannel;

/**
 * Members of one test cluster on loopback, each with a {@link FAULTS} layer over a shared
 * {@link Network}, and what each one observed. Closing it closes every member.
 */
final class TestCluster implements AutoCloseable {
  static final byte[] SECRET = "cluster-test-secret".getBytes(StandardCharsets.UTF_8);

  final Network network = new Network();
  final String name;
  private final List<Integer> ports;
  private final InetAddress[] hosts;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<JChannel> channels = new CopyOnWriteArrayList<>();
  private final SdpShim shim;

  TestCluster(String name, int size) throws Exception {
    this.name = name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    this.ports = Ports.free(size);
    this.hosts = new InetAddress[size];
    java.util.Arrays.fill(hosts, InetAddress.getLoopbackAddress());
    this.shim = SdpShim.builder().protocol(dev.sdpshim.shim.Protocol.TCP).build();
  }

  /** The port of member number {@code index} (1-based). */
  int port(int index) {
    return ports.get(index - 1);
  }

  /** Member number {@code index} listens on {@code host} (another loopback address: another "machine"). */
  TestCluster host(int index, InetAddress host) {
    hosts[index - 1] = host;
    return this;
  }

  List<java.net.InetSocketAddress> peers() {
    List<java.net.InetSocketAddress> peers = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      peers.add(new java.net.InetSocketAddress(hosts[i], ports.get(i)));
    }
    return peers;
  }

  /** Starts member {@code "m" + index} on {@code switchName}. */
  Node start(int index, String switchName) throws Exception {
    return start(index, switchName, SECRET);
  }

  Node start(int index, String switchName, byte[] secret) throws Exception {
    String member = "m" + index;
    network.attach(member, switchName);
    Node node = new Node(member);
    node.member = builder(member, index, secret).listener(node).onMessage(node).start();
    nodes.put(member, node);
    return node;
  }

  /**
   * Starts m1, m2, ... in that order, member i on {@code switches[i - 1]}, and waits until all of
   * them see all of them; returns their names.
   */
  List<String> startAll(String... switches) throws Exception {
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= switches.length; i++) {
      start(i, switches[i - 1]);
      all.add("m" + i);
    }
    awaitView(Duration.ofSeconds(15), all, all);
    return List.copyOf(all);
  }

  ClusterMember.Builder builder(String member, int index, byte[] secret) {
    return ClusterMember.builder(name, secret).name(member)
        .bind(hosts[index - 1], port(index)).peers(peers()).shim(shim)
        .aboveTransport(faults(member));
  }

  /**
   * Member {@code "m" + index} on {@code switchName} as a plain JChannel on this cluster's stack,
   * not yet connected (to {@link #name}): for tests that play an application acting on the
   * protocols itself, where {@link ClusterMember} would act at once. Closed with the cluster.
   */
  JChannel channel(int index, String switchName) throws Exception {
    String member = "m" + index;
    network.attach(member, switchName);
    JChannel c = new JChannel(ClusterStack.builder(name, SECRET).bind(hosts[index - 1], port(index))
        .peers(peers()).shim(shim).aboveTransport(faults(member)).build().protocols());
    channels.add(c);
    c.name(member);
    c.addAddressGenerator(Member.identities(member));
    return c;
  }

  Supplier<org.jgroups.stack.Protocol> faults(String member) {
    return () -> new FAULTS(network, member);
  }

  Node node(String member) {
    return nodes.get(member);
  }

  /** The names in {@code member}'s current view, oldest first. */
  List<String> view(String member) {
    return nodes.get(member).member.members().stream().map(Member::name).toList();
  }

  /** Whether every named member sees exactly {@code expected} (names, oldest first). */
  boolean allSee(List<String> members, List<String> expected) {
    for (String m : members) {
      try {
        if (!view(m).equals(expected)) {
          return false;
        }
      } catch (IllegalStateException rejoining) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether every named member sees the same view, which starts with {@code oldest} (in that
   * order) and holds exactly {@code members}: rejoiners come back in no particular order.
   */
  boolean allSee(List<String> members, List<String> oldest, int size) {
    List<String> first;
    try {
      first = view(members.getFirst());
    } catch (IllegalStateException rejoining) {
      return false;
    }
    return first.size() == size && first.subList(0, oldest.size()).equals(oldest)
        && new java.util.HashSet<>(first).equals(new java.util.HashSet<>(members)) && allSee(members, first);
  }

  String views() {
    return nodes.keySet().stream().map(m -> {
      try {
        return m + "=" + view(m);
      } catch (IllegalStateException e) {
        return m + "=(" + e.getMessage() + ")";
      }
    }).collect(Collectors.joining(", "));
  }

  void awaitView(Duration limit, List<String> members, List<String> expected) {
    Await.until(limit, () -> allSee(members, expected), this::views);
  }

  @Override
  public void close() {
    List<Node> all = new ArrayList<>(nodes.values());
    java.util.Collections.reverse(all);
    for (Node n : all) {
      if (n.member != null) {
        n.member.close();
      }
    }
    channels.forEach(JChannel::close);
    shim.close();
  }

  /** One member and what it saw. */
  static final class Node implements ClusterListener, MessageHandler {
    final String name;
    volatile ClusterMember member;
    final List<Panic> panics = new CopyOnWriteArrayList<>();
    final List<Member> cutOffs = new CopyOnWriteArrayList<>();
    final List<Member> incarnations = new CopyOnWriteArrayList<>();
    final List<Member> previousIncarnations = new CopyOnWriteArrayList<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    /** Every view this member was told of, in order (across its incarnations). */
    final List<List<Member>> views = new CopyOnWriteArrayList<>();
    volatile MessageHandler messages;

    Node(String name) {
      this.name = name;
    }

    @Override
    public void membersChanged(List<Member> members) {
      views.add(members);
    }

    @Override
    public void discardState(Panic panic) {
      panics.add(panic);
    }

    @Override
    public void cutOff(Member suspect) {
      cutOffs.add(suspect);
    }

    @Override
    public void rejoined(Member previous, Member now) {
      previousIncarnations.add(previous);
      incarnations.add(now);
    }

    @Override
    public void received(Member from, byte[] payload) {
      MessageHandler h = messages;
      if (h != null) {
        h.received(from, payload);
      } else {
        received.add(from.name() + ":" + new String(payload, StandardCharsets.UTF_8));
      }
    }
  }
}
