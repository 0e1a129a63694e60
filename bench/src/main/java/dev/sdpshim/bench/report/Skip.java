package dev.sdpshim.bench.report;

import java.util.Map;

/** A trial that did not run, with the reason its setup gave (see {@code dev.sdpshim.bench.Skips}). */
record Skip(String benchmark, Map<String, String> params, String reason) {

  String param(String name) {
    return params.getOrDefault(name, "");
  }
}
