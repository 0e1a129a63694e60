package dev.sdpshim.shim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One railed connect that may be hedged, in the spirit of Happy Eyeballs (RFC 8305): the
 * caller's connect on its rail (the <em>first</em>), and, if that has not completed after the
 * group's hedge delay, the same connect to the peer's address on the next healthy rail (the
 * <em>second</em>), which {@link ConnectTimer} starts on a virtual thread. Whichever connects first
 * wins; the other is closed. The caller keeps waiting in its own connect, so a hedge that wins
 * closes the first socket to end that wait; the caller then takes the second socket.
 *
 * <p>Nothing is started in the healthy case: a connect that completes within the delay only
 * registered with the timer. The loser is never judged by losing: a second connect cancelled by
 * the first did not fail; a first connect cut short by the second is judged by a check connect
 * afterwards ({@link RailGroup#judgeOvertaken}), so a rail is marked down only by the group's
 * usual rule (a connect on it failed while another rail reached the peer).
 */
final class HedgedConnect implements ConnectTimer.Event {
  /** How the caller's connect ended. */
  enum Outcome {
    /** The first connect won; a second, if started, was cancelled (or failed: {@link #secondError}). */
    FIRST,
    /** The second connect won: take {@link #secondSocket()}. */
    SECOND,
    /** The first failed before any second was started: go on to the next rail as without hedging. */
    FIRST_FAILED,
    /** Both failed: go on after the second's rail. */
    BOTH_FAILED
  }

  private final RailGroup group;
  private final RailSocketImpl impl;
  private final Socket first;
  final Rail firstRail;
  final InetSocketAddress firstTarget;
  final Rail secondRail;
  /** The peer as the application named it, and its rail: the second target is derived on demand. */
  private final InetSocketAddress remote;
  private final int home;
  private final long deadline;
  private final long dueNanos;

  // Guarded by this.
  private boolean started;
  private boolean firstDone;
  private boolean secondDone;
  private boolean firstCutShort;
  /** 0 while undecided, 1 the first connect, 2 the second. */
  private int winner;
  private Socket second;
  private InetSocketAddress secondTarget;
  private int secondTimeout;
  private IOException secondError;

  HedgedConnect(RailGroup group, RailSocketImpl impl, Socket first, Rail firstRail, InetSocketAddress firstTarget,
      Rail secondRail, InetSocketAddress remote, int home, long deadline, long delayNanos) {
    this.group = group;
    this.impl = impl;
    this.first = first;
    this.firstRail = firstRail;
    this.firstTarget = firstTarget;
    this.secondRail = secondRail;
    this.remote = remote;
    this.home = home;
    this.deadline = deadline;
    this.dueNanos = System.nanoTime() + delayNanos;
  }

  @Override
  public long dueNanos() {
    return dueNanos;
  }

  /**
   * Called by the timer once the delay has passed: starts the second connect, unless the first is
   * done or no time is left.
   */
  @Override
  public void due() {
    int timeout = group.attemptTimeout(deadline);
    InetSocketAddress target = group.targetOn(secondRail.index, remote, home);
    synchronized (this) {
      if (started || firstDone || timeout <= 0) {
        return;
      }
      started = true;
      secondTarget = target;
      secondTimeout = timeout;
    }
    firstRail.hedged();
    try {
      Thread.ofVirtual().name("sdp-shim-rails-" + group.name() + "-hedge").start(this::connectSecond);
    } catch (RuntimeException | Error e) {
      secondEnded(null, new IOException("cannot start the hedge: " + e, e)); // the caller must not wait for it
      throw e;
    }
  }

  /** The second connect, on its virtual thread; closes the first socket if it wins. */
  private void connectSecond() {
    Socket socket = null;
    IOException error = null;
    try {
      socket = impl.replacement(); // the application's options, as for any failover
      synchronized (this) {
        if (winner == 1) {
          socket.close();
          return;
        }
        second = socket; // from here the first connect cancels it by closing it
      }
      RailGroup.bindToRail(socket, secondRail); // the bind rules decide SDP on this rail
      socket.connect(secondTarget, secondTimeout);
    } catch (IOException e) {
      error = e;
    } catch (RuntimeException e) {
      error = new IOException("hedge failed: " + e, e); // the caller may be waiting for it: never left hanging
    }
    if (secondEnded(socket, error)) {
      group.judgeOvertaken(this);
    }
  }

  /** Records how the second connect ended; true if it won while the first was still pending. */
  private synchronized boolean secondEnded(Socket socket, IOException error) {
    secondDone = true;
    boolean won = error == null && winner == 0;
    boolean judgeFirst = won && !firstDone;
    if (won) {
      winner = 2;
      if (judgeFirst) {
        firstCutShort = true;
        closeQuietly(first); // ends the caller's wait in its connect
      }
    } else {
      closeQuietly(socket);
      if (error != null && winner != 1) {
        secondError = error; // cancelled by a winning first connect is not a failure
      }
    }
    notifyAll();
    return judgeFirst;
  }

  /**
   * The caller's connect returned ({@code error} null) or failed. Waits for a running second
   * connect when the first failed, bounded by the second's own timeout.
   */
  synchronized Outcome firstDone(IOException error) {
    firstDone = true;
    if (error == null) {
      if (winner == 2) {
        closeQuietly(first); // connected just after the second did: the second is kept
        return Outcome.SECOND;
      }
      winner = 1;
      if (second != null && !secondDone) {
        closeQuietly(second); // cancel: its connect fails and is not counted
      }
      return Outcome.FIRST;
    }
    if (winner == 2) {
      return Outcome.SECOND;
    }
    if (!started) {
      started = true; // too late for the timer: the caller goes on to the next rail itself
      return Outcome.FIRST_FAILED;
    }
    boolean interrupted = false;
    while (!secondDone) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // the second connect ends within its timeout; keep the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return winner == 2 ? Outcome.SECOND : Outcome.BOTH_FAILED;
  }

  synchronized Socket secondSocket() {
    return second;
  }

  synchronized InetSocketAddress secondTarget() {
    return secondTarget;
  }

  synchronized int secondTimeout() {
    return secondTimeout;
  }

  /** Why the second connect failed; null if it did not (or was cancelled). */
  synchronized IOException secondError() {
    return secondError;
  }

  /** Whether the first connect was closed because the second won, rather than failing itself. */
  synchronized boolean firstCutShort() {
    return firstCutShort;
  }

  private static void closeQuietly(Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      // closing an unconnected or failed socket: nothing is lost
    }
  }
}
