package dev.sdpshim.shim;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.DiagnosticText;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.Severity;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java agent: {@code java -javaagent:shim-VERSION-agent.jar -Dcom.sun.sdp.conf=FILE ...}.
 * Before {@code main} runs it reads and validates FILE; if it is valid, every TCP socket of the
 * JVM is judged before bind and connect (see {@link JdkInterception}), whichever JDK API made it,
 * and the JDK's own SDP support (JDK 7 to 25) is switched off so that it cannot act as well.
 *
 * <p>An invalid file is reported up front, every finding in sdpcheck's format, and then by
 * {@code -Dsdpshim.onInvalidConfig}: {@code fail} (default) ends the JVM with status 1 before
 * {@code main}; {@code disable} runs the application with the shim off (and the JDK's SDP support
 * off too, so that it cannot fail the first socket with ExceptionInInitializerError).
 *
 * <p>Also usable as {@code Launcher-Agent-Class} of an application jar (then it runs before
 * main, as with -javaagent), and by dynamic attach, where an invalid file makes the attach fail
 * and leaves the running application alone. Without {@code -Dcom.sun.sdp.conf} it does nothing.
 */
public final class SdpAgent {
  static final String CONF_PROPERTY = "com.sun.sdp.conf";
  static final String POLICY_PROPERTY = "sdpshim.onInvalidConfig";
  /** The status the JVM ends with under the fail policy. */
  static final int EXIT_INVALID_CONFIG = 1;

  private static final Logger LOG = LoggerFactory.getLogger(SdpAgent.class);

  private SdpAgent() {
  }

  /** {@code -javaagent}: runs before main. */
  public static void premain(String args, Instrumentation instrumentation) {
    start(instrumentation, true);
  }

  /** Dynamic attach, or {@code Launcher-Agent-Class} (before main). */
  public static void agentmain(String args, Instrumentation instrumentation) {
    start(instrumentation, launchedBeforeMain());
  }

  private enum OnInvalid {
    FAIL, DISABLE
  }

  private static void start(Instrumentation instrumentation, boolean beforeMain) {
    String file = System.getProperty(CONF_PROPERTY);
    if (file == null) {
      LOG.info("sdp-shim agent: -D{} is not set; the agent does nothing", CONF_PROPERTY);
      return;
    }
    List<String> report = new ArrayList<>();
    OnInvalid policy = policy(report);
    SdpConfig config = read(file, report);
    if (config != null && config.isValid()) {
      try {
        SocketHook hook = new DecisionHook(SdpShim.installDefault(config));
        JdkInterception.install(instrumentation, new GuardedHook(hook));
        logFindings(config);
        LOG.info("sdp-shim agent: {} rule(s) from {}; every TCP bind and connect of the JVM is "
            + "judged by them, and the JDK's own SDP support is off", config.rules().size(), file);
        return;
      } catch (InvalidConfigException e) {
        report.add("sdp-shim: " + e.getMessage());
      } catch (RuntimeException | LinkageError e) {
        report.add("sdp-shim: cannot start with " + file + ": " + e);
        LOG.error("sdp-shim agent failed to start", e);
      }
    }
    refuse(instrumentation, file, report, policy, beforeMain);
  }

  /** Reads the file; any finding of an invalid one goes to {@code report}. */
  private static SdpConfig read(String file, List<String> report) {
    SdpConfig config;
    try {
      config = SdpConfig.parse(Path.of(file));
    } catch (IOException | InvalidPathException e) {
      report.add(file + ":0:0: " + Severity.ERROR.label() + ": " + e.getMessage());
      return null;
    }
    if (!config.isValid()) {
      for (Diagnostic diagnostic : config.diagnostics()) {
        report.add(DiagnosticText.plain().format(config.source(), diagnostic).stripTrailing());
      }
      report.add(file + ": " + config.count(Severity.ERROR) + " error(s), "
          + config.count(Severity.WARNING) + " warning(s)"
          + config.jdkRefusal().map(m -> "; the JDK itself would refuse it: " + m).orElse(""));
    }
    return config;
  }

  private static void refuse(Instrumentation instrumentation, String file, List<String> report,
      OnInvalid policy, boolean beforeMain) {
    // Straight to stderr, not through the logger: the findings must read exactly as sdpcheck's.
    report.forEach(System.err::println);
    if (policy == OnInvalid.FAIL) {
      if (!beforeMain) {
        throw new IllegalStateException("sdp-shim: not attached, " + file + " is invalid (see "
            + "the target JVM's stderr); the application runs on unchanged");
      }
      System.err.println("sdp-shim: stopping the JVM before main because " + file + " cannot be "
          + "used (-D" + POLICY_PROPERTY + "=fail; set it to disable to run without the shim)");
      System.exit(EXIT_INVALID_CONFIG);
    }
    try {
      JdkInterception.neutralizeJdkSdp(instrumentation);
    } catch (RuntimeException e) {
      LOG.error("sdp-shim: could not switch off the JDK's own SDP support either", e);
    }
    LOG.error("sdp-shim is OFF: {} cannot be used (-D{}=disable). Every socket stays plain TCP, "
        + "and the JDK's own SDP support is switched off too.", file, POLICY_PROPERTY);
  }

  private static OnInvalid policy(List<String> report) {
    String value = System.getProperty(POLICY_PROPERTY, "fail").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "fail" -> OnInvalid.FAIL;
      case "disable" -> OnInvalid.DISABLE;
      default -> {
        report.add("sdp-shim: -D" + POLICY_PROPERTY + "=" + value + " is neither fail nor "
            + "disable; using fail");
        yield OnInvalid.FAIL;
      }
    };
  }

  /** Warnings of a valid file: worth a line each in the log, not worth stopping for. */
  private static void logFindings(SdpConfig config) {
    for (Diagnostic diagnostic : config.diagnostics()) {
      if (diagnostic.severity().atLeast(Severity.WARNING)) {
        LOG.warn("{}", DiagnosticText.headline(config.source(), diagnostic));
      } else {
        LOG.debug("{}", DiagnosticText.headline(config.source(), diagnostic));
      }
    }
  }

  /**
   * agentmain serves two launches: Launcher-Agent-Class, called by the launcher on the main
   * thread before main (an invalid file must then stop the JVM as with -javaagent), and dynamic
   * attach, called on the Attach Listener thread of a running application (which must never be
   * killed by an attach). The launcher's frames on the stack tell them apart.
   */
  private static boolean launchedBeforeMain() {
    return StackWalker.getInstance().walk(frames -> frames.anyMatch(
        frame -> frame.getClassName().startsWith("sun.launcher.")));
  }
}
