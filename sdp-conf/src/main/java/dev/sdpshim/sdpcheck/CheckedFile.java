package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.SdpConfig;
import java.util.List;

/**
 * One FILE argument after checking.
 *
 * @param name the file as given on the command line ({@code -} for stdin)
 * @param config the parsed file with host and JDK findings added
 * @param shown the findings that pass the filters, in line order
 */
record CheckedFile(String name, SdpConfig config, List<Diagnostic> shown) {
  CheckedFile {
    shown = List.copyOf(shown);
  }
}
