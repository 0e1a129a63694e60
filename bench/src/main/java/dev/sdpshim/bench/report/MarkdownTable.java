package dev.sdpshim.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table: text columns left-aligned, then figures right-aligned. */
final class MarkdownTable {
  private final List<String> header;
  private final int textColumns;
  private final List<List<String>> rows = new ArrayList<>();

  /** A table whose first {@code textColumns} columns hold text and the others figures. */
  MarkdownTable(int textColumns, List<String> header) {
    this.header = List.copyOf(header);
    this.textColumns = textColumns;
  }

  MarkdownTable row(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException("row of " + cells.size() + " cells for " + header.size() + " columns: " + cells);
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    line(sb, header);
    sb.append('|');
    for (int i = 0; i < header.size(); i++) {
      sb.append(i < textColumns ? "---|" : "---:|");
    }
    sb.append('\n');
    rows.forEach(r -> line(sb, r));
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells) {
    sb.append('|');
    for (String c : cells) {
      // A pipe inside a cell would end it early.
      sb.append(' ').append(c.replace("|", "\\|")).append(" |");
    }
    sb.append('\n');
  }
}
