package dev.sdpshim.sdpcheck;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a unified diff (GNU diff's {@code -u} format, which {@code git apply} and {@code patch}
 * read) from an alignment that is already known: format-config changes lines in place, so the
 * caller supplies each old line with the lines that replace it and no search for a longest common
 * subsequence is needed. That keeps a 100 000-line file linear however much of it changes.
 */
final class UnifiedDiff {
  static final int CONTEXT = 3;

  /** One line; {@code newline} is false only for a last line that has no line end. */
  record Line(String text, boolean newline) {}

  /** Old lines and the new lines that take their place; equal lists are context. */
  record Chunk(List<Line> before, List<Line> after) {
    Chunk {
      before = List.copyOf(before);
      after = List.copyOf(after);
    }

    boolean unchanged() {
      return before.equals(after);
    }
  }

  private record Op(char kind, Line line) {}

  private UnifiedDiff() {}

  /** The diff with headers {@code --- a/LABEL} and {@code +++ b/LABEL}; empty when nothing changes. */
  static String write(String label, List<Chunk> chunks) {
    List<Op> ops = new ArrayList<>();
    // Adjacent changed chunks form one block, all removals before all additions, as diff prints them.
    List<Op> added = new ArrayList<>();
    for (Chunk chunk : chunks) {
      if (chunk.unchanged()) {
        ops.addAll(added);
        added.clear();
        chunk.before().forEach(l -> ops.add(new Op(' ', l)));
      } else {
        chunk.before().forEach(l -> ops.add(new Op('-', l)));
        chunk.after().forEach(l -> added.add(new Op('+', l)));
      }
    }
    ops.addAll(added);
    // oldBefore[i] and newBefore[i]: how many old and new lines come before op i.
    int[] oldBefore = new int[ops.size() + 1];
    int[] newBefore = new int[ops.size() + 1];
    for (int i = 0; i < ops.size(); i++) {
      char k = ops.get(i).kind();
      oldBefore[i + 1] = oldBefore[i] + (k == '+' ? 0 : 1);
      newBefore[i + 1] = newBefore[i] + (k == '-' ? 0 : 1);
    }
    StringBuilder sb = new StringBuilder();
    int i = nextChange(ops, 0);
    while (i < ops.size()) {
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      // Extend the hunk while the next change is close enough for the context lines to touch.
      while (end < ops.size()) {
        int lastChange = end;
        while (lastChange + 1 < ops.size() && ops.get(lastChange + 1).kind() != ' ') {
          lastChange++;
        }
        int next = nextChange(ops, lastChange + 1);
        if (next < ops.size() && next - lastChange - 1 <= 2 * CONTEXT) {
          end = next;
        } else {
          end = Math.min(ops.size(), lastChange + 1 + CONTEXT);
          break;
        }
      }
      if (sb.length() == 0) {
        sb.append("--- a/").append(label).append('\n').append("+++ b/").append(label).append('\n');
      }
      sb.append("@@ -").append(range(oldBefore[start], oldBefore[end] - oldBefore[start]))
          .append(" +").append(range(newBefore[start], newBefore[end] - newBefore[start])).append(" @@\n");
      for (int j = start; j < end; j++) {
        Op op = ops.get(j);
        sb.append(op.kind()).append(op.line().text()).append('\n');
        if (!op.line().newline()) {
          sb.append("\\ No newline at end of file\n");
        }
      }
      i = nextChange(ops, end);
    }
    return sb.toString();
  }

  private static int nextChange(List<Op> ops, int from) {
    int i = from;
    while (i < ops.size() && ops.get(i).kind() == ' ') {
      i++;
    }
    return i;
  }

  /** GNU diff's spelling: {@code start,count}, the count left out when it is 1, start 0 for an empty range at the top. */
  private static String range(int linesBefore, int count) {
    if (count == 0) {
      return linesBefore + ",0";
    }
    return count == 1 ? Integer.toString(linesBefore + 1) : (linesBefore + 1) + "," + count;
  }
}
