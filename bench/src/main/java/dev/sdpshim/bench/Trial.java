package dev.sdpshim.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark trial opened: sockets, listeners, shims and the daemon threads serving them,
 * closed together in reverse order at tear-down (also after a failed setup).
 */
class Trial {
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  /** A loop on a socket that ends with an {@link IOException} once the trial closes it. */
  interface IoLoop {
    void run() throws IOException;
  }

  synchronized <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  /** Runs {@code loop} on a daemon thread until it returns or the trial closes its socket. */
  synchronized void start(String name, IoLoop loop) {
    Thread t = new Thread(() -> {
      try {
        loop.run();
      } catch (IOException e) {
        // the trial closed the socket, or the other end went away
      }
    }, "bench-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** Closes everything in reverse order of opening, then waits briefly for the threads. */
  void closeAll() throws InterruptedException {
    List<AutoCloseable> closing;
    List<Thread> joining;
    synchronized (this) {
      closing = new ArrayList<>(open);
      joining = new ArrayList<>(threads);
      open.clear();
      threads.clear();
    }
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception e) {
        // closing anyway
      }
    }
    for (Thread t : joining) {
      t.join(5_000);
    }
  }
}
