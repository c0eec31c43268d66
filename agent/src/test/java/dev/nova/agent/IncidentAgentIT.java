package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An incident bundle written by itself when an unmodified program deadlocks: the minutes before the
 * finding in its recording, every file, owner-only, served with the token only, and none of the
 * secrets the program was started with anywhere in it.
 */
class IncidentAgentIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String TOKEN = "incident-token";
  static final int BUSY_SECONDS = 12;

  @TempDir Path tmp;

  static List<Jdks.Jdk> jdks() {
    return Jdks.all();
  }

  private static JsonNode detector(JsonNode report, String name) {
    for (JsonNode d : report.get("agent").get("detectors")) {
      if (d.get("name").asText().equals(name)) {
        return d;
      }
    }
    throw new AssertionError("no detector " + name);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aDeadlockWritesOneBundleWithTheMinutesBeforeItAndNoSecretOfTheHost(Jdks.Jdk jdk)
      throws Exception {
    String secret = "hunter2-" + Long.toHexString(System.nanoTime());
    Path dir = tmp.resolve("incidents");
    Path portFile = tmp.resolve("port");
    try (ForkedJvm jvm =
        ForkedJvm.start(
            jdk.home(),
            List.of(
                "-Dapp.password=" + secret,
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=token="
                    + TOKEN
                    + ",port=0,detect.interval=500ms,jfr.delay=0s,incident.dir="
                    + dir
                    + ",portFile="
                    + portFile,
                "-cp",
                Jdks.hostClassPath(),
                "app.CpuHost",
                "busy-deadlock",
                String.valueOf(BUSY_SECONDS),
                "--password=" + secret),
            Map.of("APP_DB_PASSWORD", secret))) {
      jvm.awaitStdout("host-ready", WAIT);
      Http http = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
      JsonNode[] listed = new JsonNode[1];
      jvm.await(
          "an incident bundle listed",
          WAIT,
          () -> {
            listed[0] = http.get("/debug/nova/incidents").json().get("incidents");
            return listed[0].size() > 0;
          });
      JsonNode first = listed[0].get(0);
      String name = first.get("name").asText();
      assertThat(first.get("code").asText()).isEqualTo("THREAD_DEADLOCK");
      assertThat(first.get("severity").asText()).isEqualTo("CRITICAL");
      assertThat(name).matches("incident-\\d{8}T\\d{6}Z-THREAD_DEADLOCK\\.zip");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
          .isEqualTo("rw-------");

      // the finding names its bundle
      JsonNode incidents = http.get("/debug/nova").json().get("signals").get("incidents");
      assertThat(incidents.get("raised").get("THREAD_DEADLOCK").asText()).isEqualTo(name);
      jvm.await(
          "the finding's log line naming its bundle",
          WAIT,
          () ->
              jvm.stderr().contains("THREAD_DEADLOCK")
                  && jvm.stderr().contains("incident " + name));

      assertThat(get(http, name, null).statusCode()).isEqualTo(401);
      HttpResponse<byte[]> got = get(http, name, TOKEN);
      assertThat(got.statusCode()).isEqualTo(200);
      Map<String, byte[]> files = unzip(got.body());
      assertThat(files.keySet())
          .containsExactlyInAnyOrder(
              "manifest.json",
              "report.json",
              "report.txt",
              "threads.txt",
              "jdbc.json",
              "history.json",
              "metrics.txt",
              "recording.jfr");
      assertThat(new String(files.get("threads.txt"), StandardCharsets.UTF_8))
          .contains("\"monitor-a\"")
          .contains("app.CpuHost.monitors(")
          .contains("deadlocked threads");
      JsonNode manifest = new ObjectMapper().readTree(files.get("manifest.json"));
      Instant raisedAt = Instant.parse(manifest.get("time").asText());

      // the JDK's own tool reads the recording, which holds samples from before the finding
      Path jfr = tmp.resolve("recording.jfr");
      Files.write(jfr, files.get("recording.jfr"));
      Path tool = jdk.home().resolve("bin").resolve("jfr");
      String summary = run(tool.toString(), "summary", jfr.toString());
      assertThat(summary).contains("jdk.ExecutionSample");
      String samples =
          run(tool.toString(), "print", "--json", "--events", "ExecutionSample", jfr.toString());
      List<Instant> busy = new ArrayList<>();
      for (JsonNode e : new ObjectMapper().readTree(samples).get("recording").get("events")) {
        // frames as {"method":{"type":{"name":"app/CpuHost"},"name":"busy"}}
        String json = e.toString();
        if (json.contains("\"name\":\"app/CpuHost\"") && json.contains("\"name\":\"busy\"")) {
          busy.add(Instant.parse(e.get("values").get("startTime").asText()));
        }
      }
      assertThat(busy).as("samples of the busy phase").isNotEmpty();
      assertThat(busy.stream().min(Instant::compareTo).orElseThrow())
          .isBefore(raisedAt.minusSeconds(BUSY_SECONDS / 2));

      // no secret anywhere: not in a file of the zip, not in the recording as the JDK prints it
      String everything = run(tool.toString(), "print", jfr.toString());
      assertThat(everything).doesNotContain(secret).doesNotContain(TOKEN);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        assertThat(new String(f.getValue(), StandardCharsets.ISO_8859_1))
            .as(f.getKey())
            .doesNotContain(secret)
            .doesNotContain(TOKEN);
      }

      // the deadlock persists: no second bundle; the action writes another
      long runs = detector(http.get("/debug/nova").json(), "thread-deadlock").get("runs").asLong();
      jvm.await(
          "five more detector rounds",
          WAIT,
          () ->
              detector(http.get("/debug/nova").json(), "thread-deadlock").get("runs").asLong()
                  >= runs + 5);
      Http.Answer made = http.post("/debug/nova/actions/incident", TOKEN);
      assertThat(made.status()).as(made.body()).isEqualTo(200);
      JsonNode after = http.get("/debug/nova/incidents").json().get("incidents");
      assertThat(after).hasSize(2);
      assertThat(after.get(0).get("name").asText()).isEqualTo(made.json().get("name").asText());
      assertThat(http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }

  private static HttpResponse<byte[]> get(Http http, String name, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(http.base() + "/debug/nova/incidents/" + name));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }
}
