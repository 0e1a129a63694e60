package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Shared helpers for tests on real loopback sockets. */
final class Loopback {
  static final InetAddress IPV4 = address("127.0.0.1");
  static final InetAddress IPV6 = address("::1");
  static final int TIMEOUT_MS = 5_000;

  /**
   * Replaces a socket with a fresh plain TCP one: lets tests see options copied that MPTCP
   * refuses. Protocol 0 (the kernel's default, TCP) rather than IPPROTO_TCP, so that the
   * converter does not take the TCP socket for "already converted".
   */
  static final ReplacementSocket PLAIN_TCP =
      family -> Optional.of(new SocketCall(family, Libc.SOCK_STREAM, 0));

  private static final byte[] PING = "ping over the converted socket".getBytes(StandardCharsets.UTF_8);

  private Loopback() {
  }

  static int protocolOf(int fd) throws IOException {
    return Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_PROTOCOL);
  }

  static int domainOf(int fd) throws IOException {
    return Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_DOMAIN);
  }

  /** "socket:[inode]": changes when the socket behind a descriptor number is replaced. */
  static String identityOf(int fd) throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
  }

  static long openDescriptors() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      return entries.count();
    }
  }

  /** Sends a message each way between two connected sockets. */
  static void exchange(Socket a, Socket b) throws IOException {
    a.setSoTimeout(TIMEOUT_MS);
    b.setSoTimeout(TIMEOUT_MS);
    send(a.getOutputStream(), b.getInputStream());
    send(b.getOutputStream(), a.getInputStream());
  }

  static void exchange(SocketChannel a, SocketChannel b) throws IOException {
    exchange(a.socket(), b.socket());
  }

  static void exchange(AsynchronousSocketChannel a, AsynchronousSocketChannel b)
      throws Exception {
    send(a, b);
    send(b, a);
  }

  private static void send(OutputStream out, InputStream in) throws IOException {
    out.write(PING);
    out.flush();
    assertArrayEquals(PING, in.readNBytes(PING.length));
  }

  private static void send(AsynchronousSocketChannel from, AsynchronousSocketChannel to)
      throws Exception {
    ByteBuffer out = ByteBuffer.wrap(PING);
    while (out.hasRemaining()) {
      from.write(out).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    ByteBuffer in = ByteBuffer.allocate(PING.length);
    while (in.hasRemaining()) {
      assertEquals(true, to.read(in).get(TIMEOUT_MS, TimeUnit.MILLISECONDS) > 0, "read EOF");
    }
    assertArrayEquals(PING, in.array());
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
