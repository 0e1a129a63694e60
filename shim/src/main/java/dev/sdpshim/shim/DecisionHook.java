package dev.sdpshim.shim;

import dev.sdpshim.conf.Action;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The agent's {@link SocketHook}: every TCP bind and connect the JDK makes goes to the same
 * {@link SocketPolicy} as the factories of the JVM-wide {@link SdpShim} instance, so rules,
 * target protocol, fallback, statistics, MXBeans and the {@code com.sun.sdp.debug} log are one.
 */
final class DecisionHook implements SocketHook {
  private final SocketPolicy policy;

  DecisionHook(SdpShim shim) {
    this.policy = shim.policy();
  }

  @Override
  public void beforeTcpBind(int fd, InetAddress address, int port) throws IOException {
    policy.decide(Action.BIND, address, port, false, () -> fd, null);
  }

  @Override
  public void beforeTcpConnect(int fd, InetAddress address, int port, boolean alreadyBound) throws IOException {
    policy.decide(Action.CONNECT, address, port, alreadyBound, () -> fd, null);
  }
}
