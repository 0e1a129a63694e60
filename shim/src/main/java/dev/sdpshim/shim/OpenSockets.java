package dev.sdpshim.shim;

import java.io.FileDescriptor;
import java.lang.ref.WeakReference;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sockets of one protocol that are still open, counted when asked. Sockets and channels are
 * closed in many ways the shim never sees (the channel helpers return the JDK's own channels;
 * the agent only has a descriptor), so instead of counting closes this keeps a weak reference to
 * each owner and asks it, when the count is read, whether it is still open. An owner that was
 * collected without being closed counts as closed: the JDK's cleaner has closed its descriptor.
 *
 * <p>Entries of closed sockets are dropped when the count is read and, so that a JVM that never
 * reads statistics does not accumulate them, whenever the list has doubled since the last purge.
 */
final class OpenSockets {
  private static final int MIN_PURGE = 1024;

  private final ConcurrentLinkedQueue<WeakReference<Object>> owners = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final ReentrantLock purging = new ReentrantLock();
  private volatile int purgeAt = MIN_PURGE;

  /** Tracks {@code owner}: a Socket, ServerSocket, Channel or FileDescriptor. */
  void add(Object owner) {
    owners.add(new WeakReference<>(owner));
    if (size.incrementAndGet() >= purgeAt && purging.tryLock()) {
      try {
        purgeAt = Math.max(MIN_PURGE, 2 * purge());
      } finally {
        purging.unlock();
      }
    }
  }

  /** How many tracked owners are open now. */
  long count() {
    purging.lock();
    try {
      return purge();
    } finally {
      purging.unlock();
    }
  }

  private int purge() {
    int live = 0;
    for (Iterator<WeakReference<Object>> it = owners.iterator(); it.hasNext(); ) {
      if (isOpen(it.next().get())) {
        live++;
      } else {
        it.remove();
        size.decrementAndGet();
      }
    }
    return live;
  }

  static boolean isOpen(Object owner) {
    return switch (owner) {
      case null -> false;
      case Socket s -> !s.isClosed();
      case ServerSocket s -> !s.isClosed();
      case Channel c -> c.isOpen();
      case FileDescriptor fd -> fd.valid();
      default -> throw new IllegalArgumentException("cannot tell whether a "
          + owner.getClass().getName() + " is open");
    };
  }

  /** Whether {@link #add} accepts {@code owner}. */
  static boolean canTrack(Object owner) {
    return owner instanceof Socket || owner instanceof ServerSocket || owner instanceof Channel
        || owner instanceof FileDescriptor;
  }
}
