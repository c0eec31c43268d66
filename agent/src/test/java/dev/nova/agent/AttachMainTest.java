package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachineDescriptor;
import com.sun.tools.attach.spi.AttachProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code list} command on the JDK's own attach provider, with the JVMs it is handed. */
class AttachMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AttachMain main =
      new AttachMain(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
  private final AttachProvider provider = AttachProvider.providers().get(0);

  @Test
  void listWithNoOtherJvmSaysWhyInsteadOfPrintingNothing() {
    String self = String.valueOf(ProcessHandle.current().pid());
    int code = main.list(List.of(new VirtualMachineDescriptor(provider, self, "this command")));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).as("stdout stays for scripts").isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("no other JVM of user '" + System.getProperty("user.name") + "' to attach to")
        .contains("-XX:-UsePerfData");
  }

  @Test
  void listShowsEachOtherJvmOnALineAndNothingOnStderr() {
    int code =
        main.list(
            List.of(
                new VirtualMachineDescriptor(provider, "4242", "com.example.Orders"),
                new VirtualMachineDescriptor(provider, "4343", "app.jar")));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "4242\tcom.example.Orders"
                + System.lineSeparator()
                + "4343\tapp.jar"
                + System.lineSeparator());
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
