package dev.sdpshim.shim;

import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.SdpConfig;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one shim's (or one rail group's) MXBeans on the platform MBean server under
 * {@value #DOMAIN}, and removes them again. A registration failure (another copy of the shim in another class loader using the
 * same name, a restrictive MBean server) costs the JMX view, never the sockets: it is logged.
 */
final class ShimMBeans implements AutoCloseable {
  static final String DOMAIN = "dev.sdpshim";
  /** Beyond this many rules, per-rule counters are only in the snapshot API. */
  static final int MAX_RULE_BEANS = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(ShimMBeans.class);
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

  private final MBeanServer server;
  private final List<ObjectName> registered = new ArrayList<>();

  private ShimMBeans(MBeanServer server) {
    this.server = server;
  }

  static ObjectName shimName(String shim) {
    return name("type", "Shim", "name", shim);
  }

  static ObjectName ruleName(String shim, int line) {
    return name("type", "Rule", "shim", shim, "line", Integer.toString(line));
  }

  static ObjectName protocolName(String shim, Protocol protocol) {
    return name("type", "Protocol", "shim", shim, "name", protocol.name());
  }

  static ShimMBeans register(SdpShim shim, Statistics stats) {
    ShimMBeans beans = new ShimMBeans(ManagementFactory.getPlatformMBeanServer());
    String name = shim.name();
    beans.add(shimName(name), ShimMXBean.class, new ShimMXBean() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public String getProtocol() {
        return shim.protocol().name();
      }

      @Override
      public String getFallback() {
        return shim.fallback().name();
      }

      @Override
      public String getConfigSource() {
        return shim.config().map(SdpConfig::source).orElse("");
      }

      @Override
      public int getRuleCount() {
        return stats.rules().size();
      }

      @Override
      public long getBindChecks() {
        return stats.bindChecks();
      }

      @Override
      public long getConnectChecks() {
        return stats.connectChecks();
      }

      @Override
      public long getNoMatch() {
        return stats.noMatchCount();
      }
    });
    for (Protocol protocol : Protocol.values()) {
      beans.add(protocolName(name, protocol), ProtocolMXBean.class, new ProtocolMXBean() {
        @Override
        public String getProtocol() {
          return protocol.name();
        }

        @Override
        public long getOpen() {
          return stats.protocolCounts(protocol).open();
        }

        @Override
        public long getTotal() {
          return stats.protocolCounts(protocol).total();
        }
      });
    }
    List<Rule> rules = stats.rules();
    for (int i = 0; i < Math.min(rules.size(), MAX_RULE_BEANS); i++) {
      int index = i;
      beans.add(ruleName(name, rules.get(i).position().line()), RuleMXBean.class, new RuleMXBean() {
        @Override
        public int getLine() {
          return stats.ruleCounts(index).line();
        }

        @Override
        public String getRule() {
          return stats.ruleCounts(index).rule();
        }

        @Override
        public String getAction() {
          return stats.ruleCounts(index).action().keyword();
        }

        @Override
        public long getMatched() {
          return stats.ruleCounts(index).matched();
        }

        @Override
        public long getConverted() {
          return stats.ruleCounts(index).converted();
        }

        @Override
        public long getFellBack() {
          return stats.ruleCounts(index).fellBack();
        }

        @Override
        public long getFailed() {
          return stats.ruleCounts(index).failed();
        }
      });
    }
    if (rules.size() > MAX_RULE_BEANS) {
      LOG.info("sdp-shim '{}': {} rules; MXBeans for the first {} only, all are in "
          + "SdpShim.statistics()", name, rules.size(), MAX_RULE_BEANS);
    }
    return beans;
  }

  static ObjectName railGroupName(String group) {
    return name("type", "RailGroup", "name", group);
  }

  static ObjectName railName(String group, String rail) {
    return name("type", "Rail", "group", group, "name", rail);
  }

  /** A rail group's beans: the group, then one per rail. */
  static ShimMBeans register(RailGroup group) {
    ShimMBeans beans = new ShimMBeans(ManagementFactory.getPlatformMBeanServer());
    beans.add(railGroupName(group.name()), RailGroupMXBean.class, new RailGroupMXBean() {
      @Override
      public String getName() {
        return group.name();
      }

      @Override
      public String getShim() {
        return group.shim().name();
      }

      @Override
      public String getPolicy() {
        return group.config().policy().keyword();
      }

      @Override
      public long getConnectTimeoutMillis() {
        return group.config().connectTimeout().toMillis();
      }

      @Override
      public long getProbeIntervalMillis() {
        return group.config().probeInterval().toMillis();
      }

      @Override
      public long getHedgeDelayMillis() {
        return group.config().hedgeDelay().map(java.time.Duration::toMillis).orElse(0L);
      }

      @Override
      public int getRailCount() {
        return group.rails().size();
      }

      @Override
      public long getUnrailed() {
        return group.unrailed();
      }
    });
    for (Rail rail : group.rails()) {
      beans.add(railName(group.name(), rail.name()), RailMXBean.class, new RailMXBean() {
        @Override
        public String getName() {
          return rail.name();
        }

        @Override
        public String getDevice() {
          return rail.config.device() == null ? "" : rail.config.device();
        }

        @Override
        public String getAddress() {
          return rail.counts().address();
        }

        @Override
        public boolean isUp() {
          return rail.isUp();
        }

        @Override
        public String getDownReason() {
          return rail.counts().downReason();
        }

        @Override
        public long getOpen() {
          return rail.counts().open();
        }

        @Override
        public long getConnects() {
          return rail.counts().connects();
        }

        @Override
        public long getFailovers() {
          return rail.counts().failovers();
        }

        @Override
        public long getFailbacks() {
          return rail.counts().failbacks();
        }

        @Override
        public long getHedges() {
          return rail.counts().hedges();
        }

        @Override
        public String getLastFailure() {
          java.time.Instant at = rail.counts().lastFailure();
          return at == null ? "" : at.toString();
        }

        @Override
        public String getLastFailureReason() {
          return rail.counts().lastFailureReason();
        }
      });
    }
    return beans;
  }

  private <T> void add(ObjectName name, Class<T> type, T bean) {
    try {
      server.registerMBean(new StandardMBean(bean, type, true), name);
      registered.add(name);
    } catch (JMException | RuntimeException e) {
      LOG.warn("sdp-shim: cannot register MXBean {}: {}", name, e.toString());
    }
  }

  @Override
  public void close() {
    for (ObjectName name : registered) {
      try {
        server.unregisterMBean(name);
      } catch (JMException | RuntimeException e) {
        LOG.debug("sdp-shim: unregistering {} failed: {}", name, e.toString());
      }
    }
    registered.clear();
  }

  /** Keys in the order given, which is the order jconsole shows its tree in. */
  private static ObjectName name(String... keyValues) {
    StringBuilder text = new StringBuilder(DOMAIN).append(':');
    for (int i = 0; i < keyValues.length; i += 2) {
      String v = keyValues[i + 1];
      text.append(i == 0 ? "" : ",").append(keyValues[i]).append('=')
          .append(PLAIN.matcher(v).matches() ? v : ObjectName.quote(v));
    }
    try {
      return new ObjectName(text.toString());
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("cannot name an MXBean after " + String.join(",", keyValues), e);
    }
  }
}
