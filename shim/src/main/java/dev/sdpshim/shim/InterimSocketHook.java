package dev.sdpshim.shim;

import dev.sdpshim.conf.Action;
import dev.sdpshim.conf.RuleMatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERIM: a stand-in for the shim's real decision (rules, fallback policy, statistics, the
 * com.sun.sdp.debug log), so that the agent can be built and tested on its own. It only does
 * the JDK's part: a matching bind rule, or a matching connect rule for an unbound socket,
 * converts the socket to {@code -Dsdpshim.protocol} (sdp, mptcp or tcp; default sdp, as the
 * JDK), and a failed conversion fails the bind or connect, as in the JDK. To be replaced by the
 * real decision at integration: {@link SdpAgent} creates it in one place.
 */
final class InterimSocketHook implements SocketHook {
  private static final Logger LOG = LoggerFactory.getLogger(InterimSocketHook.class);

  private final RuleMatcher rules;
  private final Protocol protocol;

  InterimSocketHook(RuleMatcher rules, Protocol protocol) {
    this.rules = rules;
    this.protocol = protocol;
  }

  /** With the protocol named by {@code -Dsdpshim.protocol}. */
  static InterimSocketHook fromSystemProperties(RuleMatcher rules) {
    String name = System.getProperty("sdpshim.protocol", "sdp");
    return new InterimSocketHook(rules, Protocol.valueOf(name.trim().toUpperCase(Locale.ROOT)));
  }

  @Override
  public void beforeTcpBind(int fd, InetAddress address, int port) throws IOException {
    judge(fd, Action.BIND, address, port);
  }

  @Override
  public void beforeTcpConnect(int fd, InetAddress address, int port, boolean alreadyBound)
      throws IOException {
    if (alreadyBound) {
      LOG.debug("CONNECT to {}:{} fd {}: bound first, judged at bind", address.getHostAddress(),
          port, fd);
    } else {
      judge(fd, Action.CONNECT, address, port);
    }
  }

  private void judge(int fd, Action action, InetAddress address, int port) throws IOException {
    boolean match = rules.matches(action, address, port);
    boolean converted = match && SocketConverter.convert(fd, protocol);
    LOG.debug("{} to {}:{} fd {}: {}", action, address.getHostAddress(), port, fd,
        !match ? "no match" : converted ? "converted to " + protocol : "already " + protocol);
  }
}
