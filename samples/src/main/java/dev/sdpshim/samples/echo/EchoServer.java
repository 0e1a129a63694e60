package dev.sdpshim.samples.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line echo server on plain {@link ServerSocket}: every line a client sends comes back
 * unchanged. One thread per client. It stops accepting after {@code maxClients} clients, or when
 * {@link #stop()} is called, and then waits for the clients it has to finish.
 *
 * <p>Nothing here knows about sdp-shim: run with {@code -javaagent:shim-VERSION-agent.jar
 * -Dcom.sun.sdp.conf=FILE} and a {@code bind} rule for its address, and its listener is
 * converted at its bind.
 */
public final class EchoServer implements AutoCloseable {
  private final ServerSocket listener;
  private final int maxClients;
  private final Duration idleTimeout;
  private final Thread acceptor;
  private final List<Thread> handlers = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final AtomicInteger clients = new AtomicInteger();
  private final AtomicInteger lines = new AtomicInteger();
  private volatile boolean stopping;

  /**
   * Binds the listener to {@code address} at once (port 0: any free port); call
   * {@link #start()} to accept clients.
   *
   * @param maxClients stop accepting after this many clients; 0 for no limit
   * @param idleTimeout how long a client may stay silent before its connection is closed
   */
  public EchoServer(InetSocketAddress address, int maxClients, Duration idleTimeout)
      throws IOException {
    if (maxClients < 0) {
      throw new IllegalArgumentException("maxClients < 0: " + maxClients);
    }
    this.maxClients = maxClients;
    this.idleTimeout = idleTimeout;
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(address);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    this.listener = socket;
    this.acceptor = Thread.ofPlatform().name("echo-acceptor").daemon().unstarted(this::acceptLoop);
  }

  /** Starts accepting clients on a thread of its own; returns this server. */
  public EchoServer start() {
    acceptor.start();
    return this;
  }

  /** The address the listener is bound to (with the actual port). */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  /** Clients accepted so far. */
  public int clientsServed() {
    return clients.get();
  }

  /** Lines echoed so far, over all clients. */
  public int linesEchoed() {
    return lines.get();
  }

  /** What went wrong on the server's threads (empty when all went well). */
  public List<Throwable> failures() {
    return List.copyOf(failures);
  }

  /** Stops accepting (the flag, and closing the listener to wake up accept). Idempotent. */
  public void stop() {
    stopping = true;
    try {
      listener.close();
    } catch (IOException e) {
      failures.add(e);
    }
  }

  /**
   * Waits until the server has stopped accepting (after {@code maxClients} clients, or
   * {@link #stop()}) and every client thread has finished.
   *
   * @return false if that did not happen within {@code timeout}
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (acceptor.getState() == Thread.State.NEW) {
      return listener.isClosed(); // never started: done once stopped
    }
    if (!acceptor.join(remaining(deadline))) {
      return false;
    }
    for (Thread handler : handlers) {
      if (!handler.join(remaining(deadline))) {
        return false;
      }
    }
    return true;
  }

  /** Stops accepting and waits up to five seconds for the client threads. */
  @Override
  public void close() throws InterruptedException {
    stop();
    awaitTermination(Duration.ofSeconds(5));
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  private void acceptLoop() {
    try (listener) {
      while (!stopping && (maxClients == 0 || clients.get() < maxClients)) {
        Socket client = listener.accept();
        int number = clients.incrementAndGet();
        Thread handler = Thread.ofPlatform().name("echo-client-" + number).daemon()
            .unstarted(() -> serve(client));
        handlers.add(handler);
        handler.start();
      }
    } catch (SocketException e) {
      if (!stopping) { // closed by stop(): the normal way out
        failures.add(e);
      }
    } catch (IOException | RuntimeException e) {
      failures.add(e);
    }
  }

  private void serve(Socket client) {
    try (client;
        BufferedReader in = new BufferedReader(
            new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(
            new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8), true)) {
      client.setSoTimeout(Math.toIntExact(idleTimeout.toMillis()));
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        lines.incrementAndGet();
      }
    } catch (IOException | RuntimeException e) {
      failures.add(e);
    }
  }

  /**
   * {@code EchoServer [PORT [MAX_CLIENTS [ADDRESS]]]}: serves on ADDRESS (default 127.0.0.1),
   * PORT (default 7000) until MAX_CLIENTS clients (default 0, no limit) have come and gone.
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : EchoDemo.DEFAULT_PORT;
    int maxClients = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    InetAddress host = InetAddress.getByName(args.length > 2 ? args[2] : "127.0.0.1");
    try (EchoServer server = new EchoServer(new InetSocketAddress(host, port), maxClients,
        Duration.ofMinutes(1))) {
      server.start();
      InetSocketAddress bound = server.address();
      System.out.println("echo server on " + bound.getAddress().getHostAddress() + ":"
          + bound.getPort()
          + (maxClients > 0 ? ", stopping after " + maxClients + " client(s)" : ""));
      boolean done;
      do { // serves until the client limit is reached, or until the JVM is stopped
        done = server.awaitTermination(Duration.ofHours(1));
      } while (!done);
      System.out.println("served " + server.clientsServed() + " client(s), "
          + server.linesEchoed() + " line(s)");
      server.failures().forEach(f -> System.err.println("echo server: " + f));
    }
  }
}
