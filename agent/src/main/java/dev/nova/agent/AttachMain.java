package dev.nova.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code java -jar nova-agent.jar attach <pid> [OPTIONS]}: loads Nova into a running JVM through
 * the Attach API and says where it listens, or exactly why it could not.
 */
public final class AttachMain {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  // Kept equal to Nova.AGENT_ADDRESS_PROPERTY: this class must not load Nova's core classes.
  static final String ADDRESS_PROPERTY = "dev.nova.agent.address";

  private final PrintStream out;
  private final PrintStream err;

  AttachMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = new AttachMain(System.out, System.err).run(args);
    System.exit(code);
  }

  static String usage() {
    return String.join(
        "\n",
        "Nova agent",
        "",
        "At JVM start (preferred):",
        "  java -javaagent:nova-agent.jar[=OPTIONS] ...",
        "Into a running JVM (same user as the target):",
        "  java -jar nova-agent.jar attach <pid> [OPTIONS]",
        "List the JVMs this user can attach to:",
        "  java -jar nova-agent.jar list",
        "Print a Prometheus rule file for the findings, or a Grafana dashboard:",
        "  java -jar nova-agent.jar prometheus-rules [--for DURATION] > nova-rules.yml",
        "    (--for 30s: every alert's for: instead of its band's, e.g. for a staging Prometheus)",
        "  java -jar nova-agent.jar grafana-dashboard > nova-dashboard.json",
        "",
        "OPTIONS are key=value pairs separated by commas, e.g. token=s3cret,port=9311",
        "Then: curl -s localhost:9311/debug/nova",
        "");
  }

  int run(String[] args) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      (args.length == 0 ? err : out).print(usage());
      return args.length == 0 ? USAGE : OK;
    }
    switch (args[0]) {
      case "list":
        return list();
      case "prometheus-rules":
        return rules(args);
      case "grafana-dashboard":
        out.print(dev.nova.core.fleet.GrafanaDashboard.render(dev.nova.core.Nova.version()));
        return OK;
      case "attach":
        if (args.length < 2 || args.length > 3) {
          err.print("attach takes a pid and optionally OPTIONS\n\n" + usage());
          return USAGE;
        }
        return attach(args[1], args.length == 3 ? args[2] : "");
      default:
        err.print("unknown command '" + args[0] + "'\n\n" + usage());
        return USAGE;
    }
  }

  private int rules(String[] args) {
    String holdFor = null;
    if (args.length == 3 && args[1].equals("--for")) {
      holdFor = args[2];
    } else if (args.length != 1) {
      err.print("prometheus-rules takes only --for DURATION\n\n" + usage());
      return USAGE;
    }
    if (holdFor != null && !dev.nova.core.fleet.PrometheusRules.isDuration(holdFor)) {
      err.println("'" + holdFor + "' is not a Prometheus duration such as 30s, 2m or 1h");
      return USAGE;
    }
    out.print(dev.nova.core.fleet.PrometheusRules.render(dev.nova.core.Nova.version(), holdFor));
    return OK;
  }

  private int list() {
    return list(VirtualMachine.list());
  }

  /**
   * One line per JVM ({@code pid<TAB>main class}) on stdout, for scripts; when there is none, why
   * that can be, on stderr, so that an empty answer is never a puzzle.
   */
  int list(List<VirtualMachineDescriptor> jvms) {
    String self = String.valueOf(ProcessHandle.current().pid());
    int shown = 0;
    for (VirtualMachineDescriptor d : jvms) {
      if (!d.id().equals(self)) {
        out.println(d.id() + "\t" + d.displayName());
        shown++;
      }
    }
    if (shown == 0) {
      err.println(
          "no other JVM of user '"
              + System.getProperty("user.name", "?")
              + "' to attach to: none is running as this user, or each runs with"
              + " -XX:-UsePerfData or -XX:+DisableAttachMechanism (another user's JVMs are listed"
              + " only to that user)");
    }
    return OK;
  }

  int attach(String pidText, String options) {
    long pid;
    try {
      pid = Long.parseLong(pidText.trim());
      if (pid <= 0) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      err.println(
          "'" + pidText + "' is not a process id; 'java -jar nova-agent.jar list' shows JVMs");
      return USAGE;
    }
    if (pid == ProcessHandle.current().pid()) {
      err.println("pid " + pid + " is this attach command itself; give the pid of your service");
      return USAGE;
    }
    Optional<ProcessHandle> target = ProcessHandle.of(pid);
    if (target.isEmpty() || !target.get().isAlive()) {
      err.println("no process with pid " + pid + " ('java -jar nova-agent.jar list' shows JVMs)");
      return FAILED;
    }
    String me = System.getProperty("user.name", "?");
    String owner = target.get().info().user().orElse(null);
    if (owner != null && !owner.equals(me) && !me.equals("root")) {
      err.println(
          "pid "
              + pid
              + " runs as user '"
              + owner
              + "' and you are '"
              + me
              + "'; the JVM only accepts an attach from its own user: sudo -u "
              + owner
              + " java -jar "
              + jarPath().map(Path::toString).orElse("nova-agent.jar")
              + " attach "
              + pid);
      return FAILED;
    }
    Optional<Path> jar = jarPath();
    if (jar.isEmpty()) {
      err.println("cannot find nova-agent.jar itself; run this command with java -jar");
      return FAILED;
    }
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(String.valueOf(pid));
    } catch (AttachNotSupportedException | IOException e) {
      err.println(
          "cannot attach to pid "
              + pid
              + ": "
              + e.getMessage()
              + "\n  Is it a Java 17+ HotSpot JVM of the same user"
              + (owner != null && !owner.equals(me)
                  ? " ('" + owner + "', you are '" + me + "')"
                  : "")
              + ", in this container, started without -XX:+DisableAttachMechanism?");
      return FAILED;
    }
    try {
      Properties props = vm.getSystemProperties();
      String spec = props.getProperty("java.specification.version", "0");
      if (feature(spec) < 17) {
        err.println("pid " + pid + " runs Java " + spec + "; Nova needs Java 17 or newer");
        return FAILED;
      }
      String already = props.getProperty(ADDRESS_PROPERTY);
      if (already != null) {
        out.println(
            "Nova is already running in pid "
                + pid
                + ": curl -s http://"
                + already
                + "/debug/nova");
        return OK;
      }
      vm.loadAgent(jar.get().toString(), options);
      Properties after = vm.getSystemProperties();
      String address = after.getProperty(ADDRESS_PROPERTY);
      if (address != null) {
        out.println(
            "Nova is running in pid " + pid + ": curl -s http://" + address + "/debug/nova");
        return OK;
      }
      String error = after.getProperty(NovaAgent.ERROR_PROPERTY);
      err.println(
          "Nova was loaded into pid "
              + pid
              + " but is not listening"
              + (error == null ? "" : ": " + error)
              + "\n  The target's stderr has Nova's messages.");
      return FAILED;
    } catch (AgentLoadException | AgentInitializationException e) {
      err.println("pid " + pid + " refused the agent: " + e.getMessage());
      return FAILED;
    } catch (IOException e) {
      err.println("lost the connection to pid " + pid + ": " + e.getMessage());
      return FAILED;
    } finally {
      try {
        vm.detach();
      } catch (IOException ignored) {
        // the target is gone or detached already
      }
    }
  }

  private static int feature(String spec) {
    try {
      String s = spec.startsWith("1.") ? spec.substring(2) : spec;
      int dot = s.indexOf('.');
      return Integer.parseInt(dot < 0 ? s : s.substring(0, dot));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Path> jarPath() {
    try {
      var src = AttachMain.class.getProtectionDomain().getCodeSource();
      if (src == null) {
        return Optional.empty();
      }
      Path p = Path.of(src.getLocation().toURI());
      return p.toString().endsWith(".jar") ? Optional.of(p.toAbsolutePath()) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
