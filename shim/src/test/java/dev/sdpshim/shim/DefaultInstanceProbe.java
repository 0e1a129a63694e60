package dev.sdpshim.shim;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;
import javax.net.SocketFactory;

/**
 * Runs in a child JVM started by {@link SystemPropertiesTest}: instantiates the factory by class
 * name, as PostgreSQL JDBC does with its socketFactory setting, connects on loopback, and writes
 * the outcome to the file named by its argument.
 */
public final class DefaultInstanceProbe {
  private DefaultInstanceProbe() {
  }

  public static void main(String[] args) throws Exception {
    String outcome;
    try {
      SocketFactory factory = (SocketFactory) Class.forName("dev.sdpshim.shim.ShimSocketFactory")
          .getConstructor().newInstance();
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      try (ServerSocket server = new ServerSocket(0, 50, loopback);
          Socket client = factory.createSocket(loopback, server.getLocalPort());
          Socket peer = server.accept()) {
        Object converted = ManagementFactory.getPlatformMBeanServer().getAttribute(
            new ObjectName("dev.sdpshim:type=Rule,shim=default,line=1"), "Converted");
        outcome = "protocol " + Loopback.protocolOf(SocketDescriptors.fd(client))
            + ", rule line 1 converted " + converted;
      }
    } catch (InvocationTargetException e) {
      outcome = "failed: " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
    }
    Files.writeString(Path.of(args[0]), outcome);
  }
}
