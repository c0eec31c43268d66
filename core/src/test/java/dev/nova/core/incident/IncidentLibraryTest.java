package dev.nova.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nova.core.Nova;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incident bundles through the library: written when a finding goes CRITICAL, served, bounded. */
class IncidentLibraryTest {
  static final String TOKEN = "incident-token";
  static final String SECRET = "s3cret-" + Long.toHexString(System.nanoTime());

  @TempDir Path tmp;
  private final List<Nova> open = new ArrayList<>();

  /** Raises whatever findings a test sets. */
  static final class Switch implements Detector {
    volatile List<Finding> now = List.of();

    @Override
    public String name() {
      return "test-switch";
    }

    @Override
    public List<Finding> evaluate(NovaClock clock) {
      return now;
    }
  }

  @AfterEach
  void close() {
    open.forEach(Nova::close);
    System.clearProperty("nova.test.secret");
  }

  private Nova nova(Switch d, Path dir, String... options) {
    Nova.Builder b =
        Nova.builder()
            .option("port", "0")
            .option("token", TOKEN)
            .option("jfr.delay", "0s")
            .option("incident.dir", dir.toString());
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    Nova n = b.start();
    open.add(n);
    n.addDetector(d);
    return n;
  }

  private static Finding critical(String code) {
    return new Finding(
        code,
        Severity.CRITICAL,
        "the test's " + code,
        Evidence.builder().put("n", 1).build(),
        null);
  }

  private static Http http(Nova n) {
    return new Http(n.address().orElseThrow().getPort());
  }

  private static JsonNode list(Nova n) {
    return http(n).get("/debug/nova/incidents").json().get("incidents");
  }

  /** The report's {@code signals.incidents}. */
  private static JsonNode incidents(Nova n) {
    return http(n).get("/debug/nova").json().get("signals").get("incidents");
  }

  private static JsonNode awaitBundles(Nova n, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    JsonNode l = list(n);
    while (l.size() < count && System.nanoTime() < deadline) {
      n.scheduler().runOnce();
      Thread.onSpinWait();
      l = list(n);
    }
    assertThat(l.size()).as("bundles listed").isGreaterThanOrEqualTo(count);
    return l;
  }

  /** Writes one on demand: it queues behind any automatic bundle, so those are done after it. */
  private static Http.Answer action(Nova n) {
    return http(n).post("/debug/nova/actions/incident", TOKEN);
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  private static HttpResponse<byte[]> download(Nova n, String name, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:"
                    + n.address().orElseThrow().getPort()
                    + "/debug/nova/incidents/"
                    + name));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aCriticalFindingWritesOneOwnerOnlyBundleWithEveryFileAndItIsServedWithTheTokenOnly()
      throws Exception {
    System.setProperty("nova.test.secret", SECRET);
    Switch d = new Switch();
    Path dir = tmp.resolve("incidents");
    Nova n = nova(d, dir);
    d.now = List.of(critical("TEST_OUTAGE"));
    JsonNode l = awaitBundles(n, 1);
    String name = l.get(0).get("name").asText();
    assertThat(name).matches("incident-\\d{8}T\\d{6}Z-TEST_OUTAGE\\.zip");
    assertThat(l.get(0).get("code").asText()).isEqualTo("TEST_OUTAGE");
    assertThat(l.get(0).get("severity").asText()).isEqualTo("CRITICAL");
    assertThat(l.get(0).get("bytes").asLong()).isPositive();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
        .isEqualTo("rw-------");

    // still raised over more rounds: no second bundle; on demand: another one
    for (int i = 0; i < 3; i++) {
      n.scheduler().runOnce();
    }
    Http.Answer made = action(n);
    assertThat(made.status()).as(made.body()).isEqualTo(200);
    String second = made.json().get("name").asText();
    assertThat(second).isNotEqualTo(name).startsWith("incident-").endsWith("-TEST_OUTAGE.zip");
    assertThat(list(n)).hasSize(2);
    assertThat(incidents(n).get("written").asLong()).isEqualTo(2);
    assertThat(incidents(n).get("raised").get("TEST_OUTAGE").asText()).isEqualTo(name);

    assertThat(download(n, name, null).statusCode()).isEqualTo(401);
    assertThat(download(n, name, "wrong").statusCode()).isEqualTo(401);
    assertThat(download(n, "..%2F..%2Fetc%2Fpasswd", TOKEN).statusCode()).isEqualTo(404);
    assertThat(download(n, "incident-x.zip", TOKEN).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> got = download(n, name, TOKEN);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("Content-Type")).hasValue("application/zip");
    assertThat(got.body()).isEqualTo(Files.readAllBytes(dir.resolve(name)));

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
    JsonNode manifest = new ObjectMapper().readTree(files.get("manifest.json"));
    assertThat(manifest.get("code").asText()).isEqualTo("TEST_OUTAGE");
    assertThat(manifest.get("cause").asText()).isEqualTo("finding");
    assertThat(manifest.get("findings").get(0).get("title").asText())
        .isEqualTo("the test's TEST_OUTAGE");
    for (JsonNode f : manifest.get("files")) {
      assertThat(files.get(f.get("name").asText()))
          .as(f.get("name").asText())
          .hasSize(f.get("bytes").asInt());
    }
    assertThat(new String(files.get("report.txt"), StandardCharsets.UTF_8)).contains("TEST_OUTAGE");
    assertThat(new String(files.get("threads.txt"), StandardCharsets.UTF_8))
        .contains("\"nova-incident\"")
        .contains("java.lang.Thread.State: ");
    assertThat(new String(files.get("metrics.txt"), StandardCharsets.UTF_8))
        .contains("nova_findings");

    // the recording: readable, none of the event types that carry properties or the environment
    Path jfr = tmp.resolve("recording.jfr");
    Files.write(jfr, files.get("recording.jfr"));
    List<String> types = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      types.add(e.getEventType().getName());
    }
    assertThat(types).isNotEmpty().doesNotContainAnyElementsOf(RollingRecording.SENSITIVE);

    // after a restart, the bundles are still listed, their severity read from their manifests
    n.close();
    Nova again = nova(new Switch(), dir);
    JsonNode kept = list(again);
    assertThat(kept).hasSize(2);
    assertThat(kept.get(1).get("name").asText()).isEqualTo(name);
    assertThat(kept.get(1).get("severity").asText()).isEqualTo("CRITICAL");
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertThat(new String(f.getValue(), StandardCharsets.ISO_8859_1))
          .as(f.getKey())
          .doesNotContain(SECRET)
          .doesNotContain(TOKEN);
    }
  }

  @Test
  void aStormOfCriticalFindingsWritesOneBundleAndTheRestAreCovered() throws Exception {
    Switch d = new Switch();
    Nova n = nova(d, tmp.resolve("storm"));
    List<Finding> storm = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      storm.add(critical("STORM_" + i));
    }
    d.now = storm;
    awaitBundles(n, 1);
    List<Finding> more = new ArrayList<>(storm);
    for (int i = 21; i <= 25; i++) {
      more.add(critical("STORM_" + i));
    }
    d.now = more;
    n.scheduler().runOnce();
    d.now = List.of(); // all clear, then back: within the quiet time, covered by the first
    n.scheduler().runOnce();
    d.now = storm;
    n.scheduler().runOnce();
    assertThat(action(n).status()).isEqualTo(200); // the queue is drained once this answers
    JsonNode s = incidents(n);
    assertThat(s.get("written").asLong()).isEqualTo(2); // the storm's one and the action's
    assertThat(s.get("covered").asLong()).isGreaterThanOrEqualTo(25);
    assertThat(list(n)).hasSize(2);
  }

  @Test
  void aDirectoryThatCannotBeWrittenIsReportedAndTheHostGoesOn() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
    Switch d = new Switch();
    Nova n = nova(d, file.resolve("incidents"));
    d.now = List.of(critical("TEST_OUTAGE"));
    n.scheduler().runOnce();
    Http.Answer a = action(n);
    assertThat(a.status()).isBetween(500, 599).isNotEqualTo(500);
    assertThat(a.json().get("error").asText()).contains("incident.dir");
    JsonNode s = incidents(n);
    assertThat(s.get("failed").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(s.get("problem").asText()).contains("cannot prepare incident.dir");
    assertThat(s.get("raised").has("TEST_OUTAGE"))
        .as("no bundle named that was not written")
        .isFalse();
    assertThat(http(n).get("/debug/nova").status()).isEqualTo(200);
    assertThat(list(n)).isEmpty();
    assertThat(n.health().errors()).isZero();
  }

  @Test
  void aNearlyFullDiskIsReportedAndNothingIsWritten() throws Exception {
    Path small = tmp.resolve("small");
    Files.createDirectories(small);
    int mounted =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString())
            .inheritIO()
            .start()
            .waitFor();
    if (mounted != 0 && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI runs as root and must be able to mount a 4 MiB tmpfs");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(mounted == 0, "mounting a tmpfs needs root");
    try {
      Switch d = new Switch();
      Nova n = nova(d, small.resolve("incidents"));
      d.now = List.of(critical("TEST_OUTAGE"));
      n.scheduler().runOnce();
      Http.Answer a = action(n);
      assertThat(a.status()).isEqualTo(507);
      assertThat(a.json().get("error").asText()).contains("MiB free");
      JsonNode s = incidents(n);
      assertThat(s.get("failed").asLong()).isGreaterThanOrEqualTo(2); // the finding's, the action's
      assertThat(s.get("problem").asText()).contains("MiB free");
      try (var files = Files.list(small.resolve("incidents"))) {
        assertThat(files).isEmpty(); // no partial file left behind
      }
      assertThat(http(n).get("/debug/nova").status()).isEqualTo(200);
      n.close();
    } finally {
      new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void aHighFindingWritesNothingByDefaultAndABundleWithIncidentOnHigh() throws Exception {
    Switch d = new Switch();
    Finding high = new Finding("TEST_SLOW", Severity.HIGH, "slow", null, null);
    Nova quiet = nova(d, tmp.resolve("default"), "incident.recording", "none");
    d.now = List.of(high);
    quiet.scheduler().runOnce();
    Http.Answer dry = http(quiet).post("/debug/nova/actions/incident?dryRun=true", TOKEN);
    assertThat(dry.status()).isEqualTo(200);
    assertThat(dry.json().get("name").asText()).endsWith("-TEST_SLOW.zip");
    assertThat(dry.json().get("recording").asText()).contains("incident.recording=none");
    assertThat(list(quiet)).isEmpty();
    assertThat(incidents(quiet).get("written").asLong()).isZero();

    Switch d2 = new Switch();
    Nova loud = nova(d2, tmp.resolve("high"), "incident.on", "HIGH", "incident.recording", "none");
    d2.now = List.of(high);
    JsonNode l = awaitBundles(loud, 1);
    assertThat(l.get(0).get("severity").asText()).isEqualTo("HIGH");
    HttpResponse<byte[]> got = download(loud, l.get(0).get("name").asText(), TOKEN);
    Map<String, byte[]> files = unzip(got.body());
    assertThat(files).doesNotContainKey("recording.jfr").containsKey("threads.txt");
    JsonNode manifest = new ObjectMapper().readTree(files.get("manifest.json"));
    assertThat(manifest.get("recording").get("status").asText()).contains("none");
  }

  @Test
  void keepBoundsTheBundlesTheOldestGoFirst() throws Exception {
    Switch d = new Switch();
    Path dir = tmp.resolve("kept");
    Nova n = nova(d, dir, "incident.keep", "2", "incident.recording", "none");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Http.Answer a = action(n);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      names.add(a.json().get("name").asText());
    }
    JsonNode l = list(n);
    assertThat(l).hasSize(2);
    assertThat(l.get(0).get("name").asText()).isEqualTo(names.get(3));
    assertThat(l.get(1).get("name").asText()).isEqualTo(names.get(2));
    assertThat(Files.exists(dir.resolve(names.get(0)))).isFalse();
  }
}
