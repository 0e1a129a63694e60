package dev.sdpshim.sdpcheck;

import java.util.List;

/**
 * The outcome of check-config over all FILE arguments, in command-line order.
 *
 * @param unreadable the files that could not be read, each with the reason
 */
record CheckResult(List<CheckedFile> files, List<ConfigInput.UnreadableFile> unreadable) {
  CheckResult {
    files = List.copyOf(files);
    unreadable = List.copyOf(unreadable);
  }
}
