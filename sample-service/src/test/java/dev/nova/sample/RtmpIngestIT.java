package dev.nova.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTMP ingest through the real thing: Debian's nginx with its RTMP module calls the service back
 * ({@code on_publish}, {@code on_publish_done}) while ffmpeg publishes a generated test stream. A
 * stream key with a good token goes live and ends when the publisher stops; a forged token is
 * refused by the service and nginx drops the publisher.
 *
 * <p>{@code .ci/run} installs the packages ({@code libnginx-mod-rtmp}, {@code ffmpeg}) and sets
 * {@code NOVA_RTMP_REQUIRED=true} when it could; then a missing tool fails the test. Elsewhere the
 * test is skipped with a message, and the callbacks are still covered over HTTP by {@link DemoIT}.
 */
class RtmpIngestIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Path NGINX = Path.of("/usr/sbin/nginx");
  static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
  static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  static void assumeTools() {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(NGINX, RTMP_MODULE, FFMPEG)) {
      if (!Files.isExecutable(p) && !Files.isRegularFile(p)) {
        missing.add(p.toString());
      }
    }
    if (!missing.isEmpty() && "true".equals(System.getenv("NOVA_RTMP_REQUIRED"))) {
      throw new AssertionError(
          ".ci/run installed nginx-rtmp and ffmpeg, yet these are missing: " + missing);
    }
    assumeTrue(
        missing.isEmpty(),
        "no "
            + missing
            + " (apt-get install libnginx-mod-rtmp ffmpeg): the real RTMP test is skipped;"
            + " DemoIT covers the callbacks over HTTP");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** nginx in the foreground with one RTMP application whose callbacks are the service's. */
  Process nginx(int rtmpPort, int servicePort) throws Exception {
    String callbacks = "http://127.0.0.1:" + servicePort + "/rtmp/";
    String conf =
        String.join(
            "\n",
            "load_module " + RTMP_MODULE + ";",
            "daemon off;",
            "master_process off;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " info;",
            "events { worker_connections 64; }",
            "rtmp {",
            "  server {",
            "    listen 127.0.0.1:" + rtmpPort + ";",
            "    application live {",
            "      live on;",
            "      on_publish " + callbacks + "on_publish;",
            "      on_publish_done " + callbacks + "on_publish_done;",
            "    }",
            "  }",
            "}",
            "");
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    Process p =
        new ProcessBuilder(
                NGINX.toString(), "-p", dir.toString(), "-c", file.toString(), "-e", "stderr")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!listening(rtmpPort)) {
      assertThat(p.isAlive()).as("nginx exited: " + log("nginx.out") + log("error.log")).isTrue();
      assertThat(System.nanoTime()).as("nginx listening on " + rtmpPort).isLessThan(deadline);
      Thread.sleep(20); // polling interval while nginx binds its port
    }
    return p;
  }

  static boolean listening(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return s.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  /** ffmpeg publishing a generated picture in real time, for at most {@code seconds}. */
  Process publish(int rtmpPort, String name, String token, int seconds, String log)
      throws IOException {
    return new ProcessBuilder(
            FFMPEG.toString(),
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=15",
            "-t",
            Integer.toString(seconds),
            "-c:v",
            "flv",
            "-f",
            "flv",
            "rtmp://127.0.0.1:" + rtmpPort + "/live/" + name + "?token=" + token)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile())
        .start();
  }

  String log(String name) {
    try {
      Path p = dir.resolve(name);
      return Files.exists(p) ? "\n--- " + name + "\n" + Files.readString(p) : "";
    } catch (IOException e) {
      return "\n--- " + name + ": " + e;
    }
  }

  HttpResponse<String> get(String url, String token) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** The service's live stream with this title, or null. */
  JsonNode stream(String base, String token, String title) throws Exception {
    JsonNode live = DemoIT.JSON.readTree(get(base + "/api/v1/streams", token).body());
    for (JsonNode s : live.get("streams")) {
      if (s.get("title").asText().equals(title)) {
        return s;
      }
    }
    return null;
  }

  @Test
  void aRealPublisherGoesLiveThroughNginxRtmpAndAForgedKeyIsRefused() throws Exception {
    assumeTools();
    List<String> args =
        List.of(
            "-javaagent:" + System.getProperty("nova.agent.jar") + "=port=0,token=demo",
            "-jar",
            System.getProperty("nova.sample.jar"),
            "--serve",
            "--port",
            "0",
            "--until-stdin-closes");
    try (ForkedJvm service = ForkedJvm.start(ForkedJvm.currentJdk(), args)) {
      int port = DemoIT.port(service);
      String nova = DemoIT.novaAddress(service);
      String base = "http://127.0.0.1:" + port;
      String token =
          DemoIT.JSON
              .readTree(
                  client
                      .send(
                          HttpRequest.newBuilder(URI.create(base + "/api/v1/token"))
                              .POST(HttpRequest.BodyPublishers.noBody())
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .get("token")
              .asText();
      int rtmpPort = freePort();
      Process nginx = nginx(rtmpPort, port);
      try {
        // a good stream key: live while ffmpeg publishes, ended once it stops
        long id;
        Process good = publish(rtmpPort, "cam1", token, 120, "ffmpeg-good.log");
        try {
          service.await(
              () -> "stream cam1 live" + log("ffmpeg-good.log") + log("error.log"),
              WAIT,
              () -> {
                try {
                  JsonNode s = stream(base, token, "cam1");
                  return s != null && s.get("status").asText().equals("live");
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
          assertThat(good.isAlive())
              .as("ffmpeg still publishing" + log("ffmpeg-good.log"))
              .isTrue();
          id = stream(base, token, "cam1").get("id").asLong();
        } finally {
          good.destroy(); // SIGTERM: ffmpeg closes the stream; nginx calls on_publish_done
          good.waitFor(20, TimeUnit.SECONDS);
          good.destroyForcibly();
        }
        String path = base + "/api/v1/streams/" + id;
        service.await(
            () -> "stream cam1 ended" + log("error.log"),
            WAIT,
            () -> {
              try {
                return get(path, token).body().contains("\"status\":\"ended\"");
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });

        // a forged token: the service answers 403, nginx drops the publisher, nothing goes live
        Process forged = publish(rtmpPort, "cam2", "forged", 30, "ffmpeg-forged.log");
        assertThat(forged.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
            .as("nginx drops a refused publisher" + log("ffmpeg-forged.log"))
            .isTrue();
        assertThat(forged.exitValue()).as(log("ffmpeg-forged.log")).isNotZero();
        assertThat(stream(base, token, "cam2")).isNull();
        assertThat(Files.readString(dir.resolve("error.log")))
            .as("nginx asked the service about both publishers")
            .contains("publish: name='cam2'")
            .containsPattern("(?s)notify: publish '[^']*/rtmp/on_publish'.*notify: publish '");

        // Nova saw nginx's callbacks as HTTP requests: two publishes (200, 403) and one done
        JsonNode report =
            DemoIT.JSON.readTree(
                client
                    .send(
                        HttpRequest.newBuilder(URI.create("http://" + nova + "/debug/nova"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        JsonNode publishRoute = null;
        JsonNode doneRoute = null;
        for (JsonNode row : report.get("signals").get("http").get("routes")) {
          String route = row.get("route").asText();
          if (route.endsWith("/rtmp/on_publish")) {
            publishRoute = row;
          } else if (route.endsWith("/rtmp/on_publish_done")) {
            doneRoute = row;
          }
        }
        assertThat(publishRoute).as(report.get("signals").get("http").toString()).isNotNull();
        assertThat(publishRoute.get("statuses").toString())
            .as("one publisher allowed, one refused")
            .isEqualTo("{\"200\":1,\"403\":1}");
        assertThat(doneRoute).as(report.get("signals").get("http").toString()).isNotNull();
        assertThat(report.get("agent").get("errors").asLong()).isZero();
      } finally {
        nginx.destroy();
        nginx.waitFor(20, TimeUnit.SECONDS);
        nginx.destroyForcibly();
      }
      service.closeStdin();
      assertThat(service.awaitExit(WAIT)).as(service.describe()).isZero();
    }
  }
}
