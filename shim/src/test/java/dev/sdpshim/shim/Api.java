package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The three JDK socket APIs, each driven only through the shim's public surface: the factories
 * for Socket/ServerSocket, the channel helpers for the NIO and the asynchronous channels. Tests
 * run the same scenario on each.
 */
enum Api {
  SOCKETS {
    @Override
    Listener listen(SdpShim shim, InetSocketAddress local) throws IOException {
      ServerSocket server = local == null
          ? shim.serverSocketFactory().createServerSocket(0)      // implicit wildcard bind
          : shim.serverSocketFactory().createServerSocket(local.getPort(), 50, local.getAddress());
      server.setSoTimeout(TIMEOUT_MS);
      return new Listener(server, () -> SocketDescriptors.fd(server),
          (InetSocketAddress) server.getLocalSocketAddress(), () -> socket(server.accept()));
    }

    @Override
    Conn connect(SdpShim shim, InetSocketAddress remote) throws IOException {
      return socket(shim.socketFactory().createSocket(remote.getAddress(), remote.getPort()));
    }

    @Override
    Conn bindThenConnect(SdpShim shim, InetSocketAddress local, InetSocketAddress remote)
        throws IOException {
      return socket(shim.socketFactory().createSocket(remote.getAddress(), remote.getPort(),
          local.getAddress(), local.getPort()));
    }
  },

  CHANNELS {
    @Override
    Listener listen(SdpShim shim, InetSocketAddress local) throws IOException {
      ServerSocketChannel server = shim.openServerSocketChannel();
      shim.bind(server, local, 50);
      return new Listener(server, () -> SocketDescriptors.fd(server),
          (InetSocketAddress) server.getLocalAddress(), () -> channel(server.accept()));
    }

    @Override
    Conn connect(SdpShim shim, InetSocketAddress remote) throws IOException {
      SocketChannel channel = shim.openSocketChannel();
      shim.connect(channel, remote);
      return channel(channel);
    }

    @Override
    Conn bindThenConnect(SdpShim shim, InetSocketAddress local, InetSocketAddress remote)
        throws IOException {
      SocketChannel channel = shim.bind(shim.openSocketChannel(), local);
      shim.connect(channel, remote);
      return channel(channel);
    }
  },

  ASYNCHRONOUS_CHANNELS {
    @Override
    Listener listen(SdpShim shim, InetSocketAddress local) throws IOException {
      AsynchronousServerSocketChannel server = shim.openAsynchronousServerSocketChannel(null);
      shim.bind(server, local, 50);
      return new Listener(server, () -> SocketDescriptors.fd(server),
          (InetSocketAddress) server.getLocalAddress(),
          () -> async(server.accept().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)));
    }

    @Override
    Conn connect(SdpShim shim, InetSocketAddress remote) throws Exception {
      AsynchronousSocketChannel channel = shim.openAsynchronousSocketChannel(null);
      shim.connect(channel, remote).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return async(channel);
    }

    @Override
    Conn bindThenConnect(SdpShim shim, InetSocketAddress local, InetSocketAddress remote)
        throws Exception {
      AsynchronousSocketChannel channel = shim.bind(shim.openAsynchronousSocketChannel(null), local);
      shim.connect(channel, remote).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return async(channel);
    }
  };

  private static final byte[] PING = "ping".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PONG = "pong, over the same descriptor".getBytes(StandardCharsets.UTF_8);

  /** A listener bound through the shim; null {@code local}: bound without an address. */
  abstract Listener listen(SdpShim shim, InetSocketAddress local) throws Exception;

  /** An unbound client connected through the shim (the kernel binds it implicitly). */
  abstract Conn connect(SdpShim shim, InetSocketAddress remote) throws Exception;

  /** A client bound to {@code local} through the shim, then connected. */
  abstract Conn bindThenConnect(SdpShim shim, InetSocketAddress local, InetSocketAddress remote)
      throws Exception;

  @FunctionalInterface
  interface Fd {
    int get() throws IOException;
  }

  @FunctionalInterface
  interface Accept {
    Conn get() throws Exception;
  }

  @FunctionalInterface
  interface Io {
    void run(byte[] data) throws Exception;
  }

  record Listener(AutoCloseable closeable, Fd fd, InetSocketAddress address, Accept acceptor)
      implements AutoCloseable {
    int protocol() throws IOException {
      return Loopback.protocolOf(fd.get());
    }

    Conn accept() throws Exception {
      return acceptor.get();
    }

    /** Where a client on {@code host} reaches this listener (it may be bound to the wildcard). */
    InetSocketAddress reachableOn(java.net.InetAddress host) {
      return new InetSocketAddress(host, address.getPort());
    }

    @Override
    public void close() throws Exception {
      closeable.close();
    }
  }

  record Conn(AutoCloseable closeable, Fd fd, Io send, Io receive) implements AutoCloseable {
    int protocol() throws IOException {
      return Loopback.protocolOf(fd.get());
    }

    /** A message each way; fails unless both arrive intact. */
    void exchange(Conn peer) throws Exception {
      send.run(PING);
      peer.receive.run(PING);
      peer.send.run(PONG);
      receive.run(PONG);
    }

    @Override
    public void close() throws Exception {
      closeable.close();
    }
  }

  private static Conn socket(Socket socket) throws IOException {
    socket.setSoTimeout(TIMEOUT_MS);
    return new Conn(socket, () -> SocketDescriptors.fd(socket),
        data -> socket.getOutputStream().write(data),
        data -> assertArrayEquals(data, readExactly(socket.getInputStream(), data.length)));
  }

  private static Conn channel(SocketChannel channel) {
    return new Conn(channel, () -> SocketDescriptors.fd(channel),
        data -> {
          ByteBuffer out = ByteBuffer.wrap(data);
          while (out.hasRemaining()) {
            channel.write(out);
          }
        },
        data -> {
          channel.socket().setSoTimeout(TIMEOUT_MS);
          assertArrayEquals(data,
              readExactly(channel.socket().getInputStream(), data.length));
        });
  }

  private static Conn async(AsynchronousSocketChannel channel) {
    return new Conn(channel, () -> SocketDescriptors.fd(channel),
        data -> {
          ByteBuffer out = ByteBuffer.wrap(data);
          while (out.hasRemaining()) {
            channel.write(out).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
          }
        },
        data -> {
          ByteBuffer in = ByteBuffer.allocate(data.length);
          while (in.hasRemaining()) {
            assertTrue(channel.read(in).get(TIMEOUT_MS, TimeUnit.MILLISECONDS) > 0, "EOF");
          }
          assertArrayEquals(data, in.array());
        });
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    return in.readNBytes(n);
  }
}
