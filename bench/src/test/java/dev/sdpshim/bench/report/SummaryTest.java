package dev.sdpshim.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private static String result(String benchmark, String params, double score, double error, String unit) {
    return """
        {"jmhVersion":"1.37","benchmark":"dev.sdpshim.bench.%s","mode":"avgt","forks":1,"jdkVersion":"25",
         "vmName":"VM","vmVersion":"1","warmupIterations":1,"warmupTime":"1 s","measurementIterations":3,
         "measurementTime":"1 s","params":{%s},
         "primaryMetric":{"score":%s,"scoreError":%s,"scoreConfidence":[%s,%s],"scoreUnit":"%s",
                          "rawData":[[%s,%s,%s]]},
         "secondaryMetrics":{"cpu.bench":{"score":%s,"scoreUnit":"%s"}}}
        """.formatted(benchmark, params, score, error, score - error, score + error, unit, score - error, score, score + error,
        score * 0.9, unit);
  }

  @Test
  void printsRatiosAndTargetsFromOneRun() throws IOException {
    String json = "[" + String.join(",",
        result("MatcherBenchmark.firstMatch", "\"matcher\":\"indexed\",\"ruleCount\":\"100000\"", 50, 5, "ns/op"),
        result("MatcherBenchmark.firstMatch", "\"matcher\":\"linear\",\"ruleCount\":\"100000\"", 500_000, 10_000, "ns/op"),
        result("MatcherBenchmark.firstMatch", "\"matcher\":\"indexed\",\"ruleCount\":\"10\"", 20, 1, "ns/op"),
        result("ConfigLoadBenchmark.shimLoad", "\"ruleCount\":\"100000\"", 400, 10, "ms/op"),
        result("ConfigLoadBenchmark.jdkLoad", "\"ruleCount\":\"100000\"", 200, 10, "ms/op")) + "]";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Summary(new ObjectMapper().readTree(json)).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    // 490000/55 .. 510000/45
    assertTrue(out.matches("(?s).*\\n\\s+100000\\s+50\\.00\\s+500,000\\s+10000x \\[8909\\.\\.11333\\]\\n.*"), out);
    assertTrue(out.matches("(?s).*\\n\\s+10\\s+20\\.00\\s+-\\s+-\\n.*"), out);
    assertTrue(out.contains("indexed lookup <= 100 ns     MET"), out);
    assertTrue(out.contains("linear/indexed >= 100x       MET"), out);
    assertTrue(out.contains("parse+compile < 300 ms       MISSED (400.0 ms, CPU 360.0 ms)"), out);
    assertTrue(out.contains("shimLoad          400.0 ± 10.00     (CPU 360.0)"), out);
    assertTrue(out.contains("shimLoad/jdkLoad = 2.00x [1.86..2.16]"), out);
  }
}
