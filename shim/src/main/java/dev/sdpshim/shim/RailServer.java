package dev.sdpshim.shim;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A server listening on every rail of a {@link RailGroup} at once: one listener per rail, each
 * bound to its rail's address through the shim (so each rail's bind rule decides SDP for it, as
 * for a railed client), all on the same port, so that a peer's failover to its address on another
 * rail finds the server there. A listener on the wildcard address would reach every rail too, but
 * its bind would be judged as 0.0.0.0 by the rules, not per rail. Accepted channels share their
 * listener's protocol.
 *
 * <p>{@link #accept()} may be called by several threads; it blocks until a connection arrives on
 * any rail.
 */
public final class RailServer implements Closeable {
  static final int DEFAULT_BACKLOG = 50;
  /** Binding every rail to the port the first one got from the kernel can race with others. */
  private static final int EPHEMERAL_TRIES = 5;

  private final List<ServerSocketChannel> listeners;
  private final Selector selector;

  private RailServer(List<ServerSocketChannel> listeners, Selector selector) {
    this.listeners = List.copyOf(listeners);
    this.selector = selector;
  }

  static RailServer open(RailGroup group, int port, int backlog) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return tryOpen(group, port, backlog);
      } catch (BindException e) {
        if (port != 0 || attempt == EPHEMERAL_TRIES) {
          throw e;
        }
      }
    }
  }

  private static RailServer tryOpen(RailGroup group, int port, int backlog) throws IOException {
    List<ServerSocketChannel> listeners = new ArrayList<>();
    Selector selector = Selector.open();
    try {
      int bound = port;
      for (Rail rail : group.rails()) {
        ServerSocketChannel channel = ServerSocketChannel.open();
        listeners.add(channel);
        channel.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        group.shim().bind(channel, new InetSocketAddress(rail.config.address(), bound), backlog);
        bound = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT);
      }
      return new RailServer(listeners, selector);
    } catch (IOException | RuntimeException e) {
      for (ServerSocketChannel c : listeners) {
        ShimSocket.closeAfter(c, e);
      }
      ShimSocket.closeAfter(selector, e);
      throw e;
    }
  }

  /** The port, the same on every rail. */
  public int port() {
    return localAddresses().get(0).getPort();
  }

  /** One address per rail, in rail order. */
  public List<InetSocketAddress> localAddresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (ServerSocketChannel c : listeners) {
      try {
        out.add((InetSocketAddress) c.getLocalAddress());
      } catch (IOException e) {
        throw new IllegalStateException("the rail server is closed", e);
      }
    }
    return out;
  }

  /**
   * The next connection on any rail, as a blocking channel ({@code channel.socket()} for a
   * {@link java.net.Socket}).
   *
   * @throws ClosedChannelException when the server is closed, also while waiting
   */
  public SocketChannel accept() throws IOException {
    while (true) {
      synchronized (this) {
        try {
          for (ServerSocketChannel listener : listeners) {
            SocketChannel accepted = listener.accept();
            if (accepted != null) {
              accepted.configureBlocking(true);
              return accepted;
            }
          }
          selector.select();
          selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
          throw new ClosedChannelException();
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    selector.wakeup();
    for (ServerSocketChannel c : listeners) {
      try {
        c.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    selector.close();
    if (failure != null) {
      throw failure;
    }
  }
}
