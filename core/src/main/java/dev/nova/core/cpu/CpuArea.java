package dev.nova.core.cpu;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.jvm.JfrStream;
import dev.nova.core.jvm.JvmArea;
import java.time.Duration;
import java.util.Map;

/**
 * CPU (runbook scenario 1, "If High CPU Usage"): {@code CPU_SATURATION} with the hot code, {@code
 * signals.cpu}, and the {@code cpu-profile} action.
 */
public final class CpuArea implements Area {
  private final JvmArea jvm;

  public CpuArea(JvmArea jvm) {
    this.jvm = jvm;
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void install(Wiring w) {
    HotMethods hot = new HotMethods();
    JfrStream jfr = jvm.jfr();
    JfrStream.Part part =
        jfr.addEarly(
            "jdk.ExecutionSample (100 ms, while the CPU is high)",
            Map.of(
                "jdk.ExecutionSample", s -> s.withPeriod(Duration.ofMillis(100)).withStackTrace()),
            rs -> rs.onEvent("jdk.ExecutionSample", hot::add));
    CpuSaturationDetector detector =
        new CpuSaturationDetector(
            w.config().get(Options.CPU_HIGH),
            w.config().get(Options.CPU_WINDOW),
            hot,
            part,
            jfr,
            w.hold());
    w.detector(detector);
    w.signal(SignalSource.of("cpu", detector::snapshot));
    w.action(new CpuProfileAction(w.config().get(Options.JFR)));
  }
}
