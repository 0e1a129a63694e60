package dev.sdpshim.conf;

import java.net.InetAddress;
import java.util.List;

/** Every rule in file order; the plain statement of the semantics. */
final class LinearRuleMatcher implements RuleMatcher {
  private final Rule[] rules;

  LinearRuleMatcher(List<Rule> rules) {
    this.rules = rules.toArray(new Rule[0]);
  }

  @Override
  public Rule firstMatch(Action action, InetAddress address, int port) {
    RuleMatcher.checkPort(port);
    for (Rule rule : rules) {
      if (rule.matches(action, address, port)) {
        return rule;
      }
    }
    return null;
  }

  @Override
  public int ruleCount() {
    return rules.length;
  }
}
