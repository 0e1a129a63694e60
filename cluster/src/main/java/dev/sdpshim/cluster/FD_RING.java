package dev.sdpshim.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jgroups.annotations.Property;
import org.jgroups.blocks.cs.NioServer;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_SOCK2;

/**
 * FD_SOCK2 (JGroups' equivalent of Coherence's TcpRing: each member holds a connection to its
 * neighbour and suspects it when the connection closes) whose connections to the neighbour are
 * judged by the shim's rules too, without the agent.
 *
 * <p>FD_SOCK2's NIO server asks the socket factory for an unbound channel and then binds and
 * connects it itself; a JDK channel cannot be subclassed to intercept that. So when the factory
 * is a {@link ClusterSocketFactory}, this protocol gives the server a view of it whose client
 * channels come already bound, through the shim (judged by the bind rules, converted as they say),
 * to {@code client_bind_addr} (default: the member's address) and FD_SOCK2's
 * {@code client_bind_port}, and tells the server not to bind them again
 * ({@code deferClientBinding}). The connect that follows is then a bound socket's, which the
 * rules never judge: the JDK's bind-before-connect rule. With another factory it is FD_SOCK2.
 */
public class FD_RING extends FD_SOCK2 {
  static final short ID = 1710;

  static {
    ClassConfigurator.addProtocol(ID, FD_RING.class); // headers are looked up by the protocol's own id
  }

  @Property(description = "The local address of the connections to the neighbour; default bind_addr, or the"
      + " member's advertised address when bind_addr is the wildcard (ClusterStack sets it)")
  protected InetAddress client_bind_addr;

  public InetAddress getClientBindAddress() {
    return client_bind_addr;
  }

  public FD_RING setClientBindAddress(InetAddress address) {
    this.client_bind_addr = address;
    return this;
  }

  @Override
  protected NioServer createServer(int[] bindPorts) {
    NioServer server = super.createServer(bindPorts);
    if (getSocketFactory() instanceof ClusterSocketFactory factory) {
      InetAddress local = client_bind_addr != null ? client_bind_addr : bind_addr;
      server.socketFactory(factory.withBoundClientChannels(new InetSocketAddress(local, client_bind_port)));
      server.deferClientBinding(true); // they come bound: a second bind would throw AlreadyBoundException
    }
    return server;
  }
}
