package dev.nova.core.util;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Report;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders Nova's JSON-shaped values (maps, lists, numbers, strings, booleans, {@link Evidence},
 * {@link Finding}, {@link Report}) with Jackson's streaming generator: correct escaping of every
 * string the host hands us (thread names, SQL) without a hand-written encoder.
 */
public final class Json {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private Json() {}

  public static byte[] render(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** One compact JSON line (no trailing newline): log lines with {@code log.format=json}. */
  public static String line(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The report as the contract shapes it: severity, findings, signals, then the sections. */
  public static Map<String, Object> shape(Report report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("severity", report.severity());
    m.put("generatedAt", report.generatedAt().toString());
    m.put("findings", report.findings());
    m.put("signals", report.signals());
    m.putAll(report.sections());
    return m;
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double d) {
      writeDouble(g, d);
    } else if (v instanceof Float f) {
      writeDouble(g, f.doubleValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.toString());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) {
        write(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Evidence e) {
      write(g, e.values());
    } else if (v instanceof Finding f) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", f.code());
      m.put("severity", f.severity().name());
      m.put("title", f.title());
      if (f.where() != null) {
        m.put("where", f.where());
      }
      m.put("evidence", f.evidence());
      m.put("actions", f.actions());
      write(g, m);
    } else if (v instanceof Report r) {
      write(g, shape(r));
    } else if (v instanceof java.time.Duration d) {
      g.writeString(DurationText.format(d)); // as the options write it: 30s, not PT30S
    } else if (v instanceof Enum<?> en) {
      g.writeString(en.name());
    } else {
      g.writeString(v.toString());
    }
  }

  private static void writeDouble(JsonGenerator g, double d) throws IOException {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      g.writeNull(); // JSON has no NaN or Infinity
    } else {
      g.writeNumber(d);
    }
  }
}
