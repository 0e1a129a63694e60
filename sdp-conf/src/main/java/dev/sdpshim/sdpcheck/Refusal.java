package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.SdpConfig;

/** How show-rules and match-rule report a file the JDK refuses: it has no rules to show or match. */
final class Refusal {
  private Refusal() {}

  static String describe(String name, SdpConfig config) {
    String where = "";
    for (Diagnostic d : config.diagnostics()) {
      if (d.jdkFatal()) {
        where = "line " + d.line() + ": ";
        break;
      }
    }
    return name + ": the JDK refuses this file (" + where + config.jdkRefusal().orElse("") + "), so it converts nothing and"
        + " every bind and connect of the JVM fails; run 'sdpcheck " + name + "' for details";
  }
}
