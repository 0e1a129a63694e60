package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.RailsConfig;
import dev.sdpshim.conf.SdpConfig;
import java.util.List;

/**
 * One FILE argument (or the {@code --rails} file) after checking.
 *
 * @param name the file as given on the command line ({@code -} for stdin)
 * @param config the parsed rules file with host and JDK findings added; null for a rails file
 * @param rails the parsed rails file; null for a rules file
 * @param shown the findings that pass the filters, in line order
 */
record CheckedFile(String name, SdpConfig config, RailsConfig rails, List<Diagnostic> shown) {
  CheckedFile {
    shown = List.copyOf(shown);
  }
}
