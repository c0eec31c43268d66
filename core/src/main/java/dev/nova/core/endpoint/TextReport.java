package dev.nova.core.endpoint;

import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Report;
import java.util.Collection;
import java.util.Map;

/** The report for a person at a terminal: the verdict first, then findings, then signals. */
public final class TextReport {
  private TextReport() {}

  public static String render(Report report) {
    StringBuilder sb = new StringBuilder(2048);
    sb.append("Nova diagnosis at ")
        .append(report.generatedAt())
        .append(": ")
        .append(report.severity())
        .append('\n');
    if (report.findings().isEmpty()) {
      sb.append("\nNo findings: nothing Nova watches is wrong right now.\n");
    } else {
      sb.append('\n').append(report.findings().size()).append(" finding(s), most severe first\n");
      for (Finding f : report.findings()) {
        sb.append("\n[")
            .append(f.severity())
            .append("] ")
            .append(f.code())
            .append(": ")
            .append(f.title())
            .append('\n');
        if (f.where() != null) {
          sb.append("  where: ").append(f.where()).append('\n');
        }
        appendValue(sb, f.evidence().values(), 2);
        if (!f.actions().isEmpty()) {
          sb.append("  remediation: ");
          for (int i = 0; i < f.actions().size(); i++) {
            sb.append(i == 0 ? "" : ", ")
                .append("POST /debug/nova/actions/")
                .append(f.actions().get(i));
          }
          sb.append('\n');
        }
      }
    }
    sb.append("\nSignals\n");
    appendValue(sb, report.signals(), 2);
    for (Map.Entry<String, Object> section : report.sections().entrySet()) {
      sb.append('\n').append(capitalize(section.getKey())).append('\n');
      appendValue(sb, section.getValue(), 2);
    }
    return sb.toString();
  }

  private static void appendValue(StringBuilder sb, Object v, int indent) {
    if (v instanceof dev.nova.core.finding.Evidence e) {
      v = e.values();
    }
    if (v instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object val = e.getValue();
        if (val instanceof dev.nova.core.finding.Evidence ev) {
          val = ev.values();
        }
        pad(sb, indent).append(e.getKey()).append(':');
        if (isScalar(val) || (val instanceof Collection<?> c && c.isEmpty())) {
          sb.append(' ').append(scalar(val)).append('\n');
        } else {
          sb.append('\n');
          appendValue(sb, val, indent + 2);
        }
      }
    } else if (v instanceof Collection<?> c) {
      for (Object o : c) {
        if (isScalar(o)) {
          pad(sb, indent).append("- ").append(scalar(o)).append('\n');
        } else {
          pad(sb, indent).append("-\n");
          appendValue(sb, o, indent + 2);
        }
      }
    } else {
      pad(sb, indent).append(scalar(v)).append('\n');
    }
  }

  private static boolean isScalar(Object v) {
    return !(v instanceof Map<?, ?>)
        && !(v instanceof Collection<?>)
        && !(v instanceof dev.nova.core.finding.Evidence);
  }

  private static String scalar(Object v) {
    if (v instanceof Collection<?> c && c.isEmpty()) {
      return "(none)";
    }
    return String.valueOf(v);
  }

  private static StringBuilder pad(StringBuilder sb, int n) {
    for (int i = 0; i < n; i++) {
      sb.append(' ');
    }
    return sb;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
