package dev.surge.loadgen.ui;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.surge.loadgen.output.Percentiles;
import dev.surge.loadgen.output.RunResult.IntervalResult;
import dev.surge.loadgen.output.RunResult.Latency;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live page's {@code interval} frame: one {@link IntervalResult} as the result file's {@code
 * intervals[]} entry (the same keys and values as Jackson's data binding writes it; {@code
 * IntervalJsonTest} holds the two against each other), written with Jackson's streaming generator.
 *
 * <p>Why not data binding, as for the other frames: an interval goes out every second for the whole
 * run, and data binding reads a record through reflection, which the JDK turns into generated
 * accessor classes after a few calls and the JIT then compiles: class generation and compilation in
 * the middle of a run at 20 000 req/s, for a page. The generator writes the fields directly.
 *
 * <p>Stateless and thread-safe.
 */
final class IntervalJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private IntervalJson() {}

  /** The interval as one line of JSON. */
  static String of(IntervalResult i) {
    StringWriter out = new StringWriter(640);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("t", i.t());
      g.writeNumberField("targetRate", i.targetRate());
      g.writeNumberField("achievedRate", i.achievedRate());
      g.writeNumberField("requests", i.requests());
      g.writeNumberField("ok", i.ok());
      g.writeNumberField("errors", i.errors());
      g.writeNumberField("dropped", i.dropped());
      g.writeNumberField("inFlight", i.inFlight());
      g.writeFieldName("latencyMillis");
      latency(g, i.latencyMillis());
      g.writeFieldName("backends");
      counts(g, i.backends());
      if (i.errorsByKind() != null && !i.errorsByKind().isEmpty()) {
        g.writeFieldName("errorsByKind");
        counts(g, i.errorsByKind());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write an interval frame", e); // a StringWriter
    }
    return out.toString();
  }

  private static void latency(JsonGenerator g, Latency l) throws IOException {
    if (l == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeFieldName("corrected");
    percentiles(g, l.corrected());
    g.writeFieldName("uncorrected");
    percentiles(g, l.uncorrected());
    g.writeEndObject();
  }

  /** As {@link Percentiles}' {@code NON_NULL}: the fields an interval leaves null are left out. */
  private static void percentiles(JsonGenerator g, Percentiles p) throws IOException {
    if (p == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeNumberField("count", p.count());
    g.writeNumberField("p50", p.p50());
    g.writeNumberField("p90", p.p90());
    optional(g, "p95", p.p95());
    g.writeNumberField("p99", p.p99());
    optional(g, "p999", p.p999());
    g.writeNumberField("max", p.max());
    optional(g, "mean", p.mean());
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String name, Double v) throws IOException {
    if (v != null) {
      g.writeNumberField(name, v);
    }
  }

  private static void counts(JsonGenerator g, Map<String, Long> m) throws IOException {
    if (m == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (Map.Entry<String, Long> e : m.entrySet()) {
      g.writeFieldName(e.getKey());
      if (e.getValue() == null) {
        g.writeNull();
      } else {
        g.writeNumber(e.getValue());
      }
    }
    g.writeEndObject();
  }
}
