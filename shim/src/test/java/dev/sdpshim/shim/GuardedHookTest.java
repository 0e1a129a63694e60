package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What reaches the hook, and what of the hook's failures reaches the application. */
class GuardedHookTest {
  private static final InetAddress LOOPBACK = Loopback.IPV4;

  /** Records calls; throws {@code failure} if set. */
  private static final class Recorder implements SocketHook {
    final List<String> calls = new ArrayList<>();
    Throwable failure;

    @Override
    public void beforeTcpBind(int fd, InetAddress address, int port) throws IOException {
      calls.add("bind " + address.getHostAddress() + ":" + port);
      fail();
    }

    @Override
    public void beforeTcpConnect(int fd, InetAddress address, int port, boolean alreadyBound)
        throws IOException {
      calls.add("connect " + address.getHostAddress() + ":" + port + " bound=" + alreadyBound);
      fail();
    }

    private void fail() throws IOException {
      if (failure instanceof IOException e) {
        throw e;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
    }
  }

  @Test
  void tcpSocketsReachTheHookWithTheirBoundState() throws IOException {
    Recorder recorder = new Recorder();
    GuardedHook guarded = new GuardedHook(recorder);
    try (SocketChannel fresh = SocketChannel.open();
        SocketChannel bound = SocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
      guarded.beforeBind(descriptor(fresh), LOOPBACK, 0);
      guarded.beforeConnect(descriptor(fresh), LOOPBACK, 80, null);
      guarded.beforeConnect(descriptor(bound), LOOPBACK, 80, null);
    }
    assertEquals(List.of("bind 127.0.0.1:0", "connect 127.0.0.1:80 bound=false",
        "connect 127.0.0.1:80 bound=true"), recorder.calls);
  }

  @Test
  void theCallingSocketObjectSaysWhetherItIsBoundWithoutAskingTheKernel() throws IOException {
    Recorder recorder = new Recorder();
    GuardedHook guarded = new GuardedHook(recorder);
    try (SocketChannel fresh = SocketChannel.open();
        SocketChannel bound = SocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
      // The descriptors are swapped on purpose: the answer comes from the object, as the JDK's
      // own check did, so a kernel query would give the opposite.
      guarded.beforeConnect(descriptor(bound), LOOPBACK, 80, fresh);
      guarded.beforeConnect(descriptor(fresh), LOOPBACK, 80, bound);
    }
    assertEquals(List.of("connect 127.0.0.1:80 bound=false", "connect 127.0.0.1:80 bound=true"),
        recorder.calls);
    assertEquals(-1, SocketDescriptors.boundState("not a socket"),
        "an object that is no JDK socket class is unknown: the kernel is asked");
  }

  @Test
  void theHooksIoExceptionReachesTheApplication() throws IOException {
    Recorder recorder = new Recorder();
    IOException refusal = new IOException("fail policy");
    recorder.failure = refusal;
    GuardedHook guarded = new GuardedHook(recorder);
    try (SocketChannel channel = SocketChannel.open()) {
      assertSame(refusal, assertThrows(IOException.class,
          () -> guarded.beforeBind(descriptor(channel), LOOPBACK, 0)));
      assertSame(refusal, assertThrows(IOException.class,
          () -> guarded.beforeConnect(descriptor(channel), LOOPBACK, 80, null)));
    }
  }

  @Test
  void anythingElseFromTheHookIsSwallowed() throws IOException {
    Recorder recorder = new Recorder();
    GuardedHook guarded = new GuardedHook(recorder);
    try (SocketChannel channel = SocketChannel.open()) {
      recorder.failure = new IllegalStateException("bug");
      guarded.beforeBind(descriptor(channel), LOOPBACK, 0);
      recorder.failure = new NoClassDefFoundError("dev/sdpshim/Missing");
      guarded.beforeConnect(descriptor(channel), LOOPBACK, 80, null);
    }
    assertEquals(2, guarded.swallowedCount());
  }

  @Test
  void theJvmsOwnErrorsGoThrough() throws IOException {
    Recorder recorder = new Recorder();
    recorder.failure = new OutOfMemoryError("test");
    GuardedHook guarded = new GuardedHook(recorder);
    try (SocketChannel channel = SocketChannel.open()) {
      assertThrows(OutOfMemoryError.class,
          () -> guarded.beforeBind(descriptor(channel), LOOPBACK, 0));
    }
  }

  @Test
  void aDescriptorThatCannotBeReadIsSwallowedWithoutCallingTheHook() throws IOException {
    Recorder recorder = new Recorder();
    GuardedHook guarded = new GuardedHook(recorder);
    guarded.beforeBind(new FileDescriptor(), LOOPBACK, 0); // fd -1
    guarded.beforeConnect(new FileDescriptor(), LOOPBACK, 80, null);
    guarded.beforeConnect(descriptor(Integer.MAX_VALUE), LOOPBACK, 80, null); // getsockname: EBADF
    assertEquals(List.of(), recorder.calls);
    assertEquals(3, guarded.swallowedCount());
  }

  @Test
  void socketsOpenedByTheHookItselfAreNotJudged() throws IOException {
    List<String> calls = new ArrayList<>();
    try (SocketChannel outer = SocketChannel.open(); SocketChannel inner = SocketChannel.open()) {
      GuardedHook[] guarded = new GuardedHook[1];
      guarded[0] = new GuardedHook(new SocketHook() {
        @Override
        public void beforeTcpBind(int fd, InetAddress address, int port) throws IOException {
          calls.add("bind " + port);
          guarded[0].beforeBind(descriptor(inner), address, port + 1);
        }

        @Override
        public void beforeTcpConnect(int fd, InetAddress address, int port, boolean bound) {
          calls.add("connect " + port);
        }
      });
      guarded[0].beforeBind(descriptor(outer), LOOPBACK, 7);
      guarded[0].beforeConnect(descriptor(outer), LOOPBACK, 8, null); // the guard was released
    }
    assertEquals(List.of("bind 7", "connect 8"), calls);
  }

  private static FileDescriptor descriptor(SocketChannel channel) throws IOException {
    return descriptor(SocketDescriptors.fd(channel));
  }

  /** A FileDescriptor for a number, as the JDK's socket classes hold them. */
  private static FileDescriptor descriptor(int fd) {
    try {
      VarHandle field = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
          .findVarHandle(FileDescriptor.class, "fd", int.class);
      FileDescriptor descriptor = new FileDescriptor();
      field.set(descriptor, fd);
      return descriptor;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
