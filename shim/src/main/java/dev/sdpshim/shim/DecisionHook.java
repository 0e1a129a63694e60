package dev.sdpshim.shim;

import dev.sdpshim.conf.Action;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The agent's {@link SocketHook}: every TCP bind and connect the JDK makes goes through
 * {@link ShimHook}, the internal entry point, to the same {@link SocketPolicy} as the factories of the JVM-wide {@link SdpShim} instance, so rules,
 * target protocol, fallback, statistics, MXBeans and the {@code com.sun.sdp.debug} log are one.
 */
final class DecisionHook implements SocketHook {
  private final SdpShim shim;

  DecisionHook(SdpShim shim) {
    this.shim = shim;
  }

  @Override
  public void beforeTcpBind(int fd, InetAddress address, int port) throws IOException {
    ShimHook.decide(shim, Action.BIND, fd, address, port, false, null);
  }

  @Override
  public void beforeTcpConnect(int fd, InetAddress address, int port, boolean alreadyBound) throws IOException {
    ShimHook.decide(shim, Action.CONNECT, fd, address, port, alreadyBound, null);
  }
}
