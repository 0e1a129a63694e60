package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.SourcePosition;
import java.util.List;

/**
 * SDP301: JDK 26 removed SDP support (JDK-8366575) and ignores {@code -Dcom.sun.sdp.conf} without a
 * word, so a file that was fine on JDK 25 silently stops converting anything after an upgrade.
 */
final class JdkVersionCheck {
  /** The first feature release without SDP support. */
  static final int SDP_REMOVED = 26;

  private JdkVersionCheck() {}

  static List<Diagnostic> check(int jdkFeature) {
    if (jdkFeature < SDP_REMOVED) {
      return List.of();
    }
    return List.of(new Diagnostic(Code.SDP301, new SourcePosition(0, 0, 0, ""),
        "JDK " + jdkFeature + " ignores this file entirely: SDP support was removed in JDK 26 (JDK-8366575), so"
            + " -Dcom.sun.sdp.conf converts nothing and says nothing; start the JVM with the sdp-shim agent"
            + " (-javaagent), which reads this file and converts the sockets", false, ""));
  }
}
