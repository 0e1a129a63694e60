package dev.sdpshim.shim;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a child JVM started by {@link AccessRoutesTest}: reads a socket's descriptor and writes
 * the outcome to the file named by its argument. Doubles as the agent that grants access.
 */
public final class AccessProbe {
  private AccessProbe() {
  }

  public static void premain(String args, Instrumentation instrumentation) {
    SocketDescriptors.grantAccess(instrumentation);
  }

  public static void main(String[] args) throws IOException {
    String outcome;
    try (Socket socket = new Socket()) {
      int fd = SocketDescriptors.fd(socket);
      outcome = "fd " + fd + " protocol "
          + Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_PROTOCOL);
    } catch (IOException e) {
      outcome = "failed: " + e.getMessage();
    }
    Files.writeString(Path.of(args[0]), outcome);
  }
}
