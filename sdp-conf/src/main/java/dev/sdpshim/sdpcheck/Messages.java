package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Diagnostic;

/** Message text for formats that have no separate field for the JDK's verdict. */
final class Messages {
  private Messages() {}

  /**
   * The message, and for a line the JDK refuses, what that does: reviewers in a code-scanning UI
   * see only this text, and "refuses the whole file" is what makes such a finding urgent.
   */
  static String withConsequence(Diagnostic d) {
    if (!d.jdkFatal()) {
      return d.message();
    }
    return d.message() + ". Fatal: the JDK refuses the whole file (\"" + d.jdkMessage()
        + "\"), so every socket of the JVM fails at its first bind or connect";
  }
}
