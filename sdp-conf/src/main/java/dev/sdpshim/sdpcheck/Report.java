package dev.sdpshim.sdpcheck;

import java.io.IOException;
import java.io.PrintStream;

/** One output format of check-config. */
interface Report {
  void write(CheckResult result, PrintStream out) throws IOException;
}
