package dev.sdpshim.shim;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock of a group's railed connects: it ends a connect not done by its {@linkplain Deadline
 * deadline} by closing its socket, and starts the hedge of a connect still pending after the hedge
 * delay ({@link HedgedConnect}).
 *
 * <p>A railed connect is bounded here rather than by {@code Socket.connect(address, timeout)}
 * because the JDK's timed connect switches the socket to non-blocking mode for good: three system
 * calls more per connect (two {@code fcntl}, a {@code poll}) and, for the life of the connection,
 * a {@code poll} before every read that finds no data. Closing a socket ends a connect blocked on
 * it, which is how the JDK's own {@code close} works.
 *
 * <p>A connect only registers here (a set insert) and deregisters when it is done: no timer task
 * per connect, so the healthy path wakes no other thread. The timer's thread sleeps until the
 * earliest registered event is due, or at most {@code period}, the shortest delay anything is
 * registered with; so an event registered while it sleeps is seen before it is due.
 */
final class ConnectTimer implements AutoCloseable {
  /** Something the timer does at a time. */
  interface Event {
    long dueNanos();

    /** Runs on the timer's thread, once, when due. */
    void due();
  }

  private static final Logger LOG = LoggerFactory.getLogger(RailGroup.class);
  private final long periodNanos;
  private final Set<Event> pending = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean closed;

  ConnectTimer(String groupName, long periodNanos) {
    this.periodNanos = periodNanos;
    this.thread = Thread.ofPlatform().daemon().name("sdp-shim-rails-" + groupName + "-timer").start(this::run);
  }

  /** Registers a connect of {@code socket} that must be done within {@code timeoutMillis}. */
  Deadline deadline(Socket socket, int timeoutMillis) {
    Deadline d = new Deadline(socket, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    pending.add(d);
    return d;
  }

  void add(Event event) {
    pending.add(event);
  }

  void remove(Event event) {
    pending.remove(event);
  }

  private void run() {
    while (!closed) {
      long now = System.nanoTime();
      long sleep = periodNanos;
      for (Event e : pending) {
        long due = e.dueNanos() - now;
        if (due <= 0) {
          pending.remove(e);
          try {
            e.due();
          } catch (RuntimeException | OutOfMemoryError x) {
            // e.g. no thread for a hedge: the connect goes on as without hedging
            LOG.warn("connect timer: {} failed", e, x);
          }
        } else {
          sleep = Math.min(sleep, due);
        }
      }
      LockSupport.parkNanos(this, sleep);
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }

  /**
   * The end of one connect's time: the connect and the timer race to settle it, exactly one
   * wins. A connect that settles first ({@link #done()}) keeps its socket; a timer that does
   * closes the socket, ending the connect, which then counts as timed out.
   */
  static final class Deadline implements Event {
    private static final int PENDING = 0;
    private static final int DONE = 1;
    private static final int EXPIRED = 2;
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Deadline.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Socket socket;
    private final long dueNanos;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    private Deadline(Socket socket, long dueNanos) {
      this.socket = socket;
      this.dueNanos = dueNanos;
    }

    @Override
    public long dueNanos() {
      return dueNanos;
    }

    @Override
    public void due() {
      if (STATE.compareAndSet(this, PENDING, EXPIRED)) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing an unconnected socket: the connect ends either way
        }
      }
    }

    /**
     * Settles the connect as ended by itself (connected or failed); false if the deadline had
     * passed first, so the socket is closed (or being closed) and the connect timed out.
     */
    boolean done() {
      return STATE.compareAndSet(this, PENDING, DONE) || (int) STATE.getVolatile(this) == DONE;
    }

    @Override
    public String toString() {
      return "deadline of a connect of " + socket;
    }
  }
}
