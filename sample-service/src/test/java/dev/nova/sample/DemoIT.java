package dev.nova.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nova.testing.ForkedJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sample jar as a user runs it: the service alone with Nova as a library and with the agent
 * (REST, WebSocket viewers and chat, the RTMP callbacks, clear errors), the tour's missing-agent
 * message, and a library host that still exits when its main returns.
 */
class DemoIT {
  static final Duration WAIT = Duration.ofSeconds(120);
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static String jar(String property) {
    return System.getProperty(property);
  }

  private ForkedJvm serve(List<String> jvmArgs) throws Exception {
    List<String> args = new ArrayList<>(jvmArgs);
    args.addAll(
        List.of("-jar", jar("nova.sample.jar"), "--serve", "--port", "0", "--until-stdin-closes"));
    return ForkedJvm.start(ForkedJvm.currentJdk(), args);
  }

  static int port(ForkedJvm jvm) {
    jvm.awaitStdout("service-ready", WAIT);
    String line =
        jvm.stdout().lines().filter(l -> l.startsWith("service-ready")).findFirst().orElseThrow();
    return Integer.parseInt(line.substring("service-ready port=".length()));
  }

  static String novaAddress(ForkedJvm jvm) {
    jvm.awaitStdout("/debug/nova", WAIT);
    String line =
        jvm.stdout()
            .lines()
            .filter(l -> l.startsWith("Nova Streaming on"))
            .findFirst()
            .orElseThrow();
    return line.replaceAll(".* at http://([^/]+)/debug/nova.*", "$1");
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** REST, WebSocket and RTMP callbacks against a running service; answers its Nova report. */
  JsonNode exercise(int port, String nova) throws Exception {
    String base = "http://127.0.0.1:" + port;
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/health"))).body())
        .contains("\"status\":\"ok\"");
    String token =
        JSON.readTree(
                send(HttpRequest.newBuilder(URI.create(base + "/api/v1/token"))
                        .POST(HttpRequest.BodyPublishers.noBody()))
                    .body())
            .get("token")
            .asText();
    HttpResponse<String> noToken =
        send(HttpRequest.newBuilder(URI.create(base + "/api/v1/streams")));
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.body()).contains("\"message\"");
    HttpResponse<String> badJson =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/streams"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{not json")));
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/nope"))).statusCode())
        .isEqualTo(404);
    JsonNode created =
        JSON.readTree(
            send(HttpRequest.newBuilder(URI.create(base + "/api/v1/streams"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"title\":\"Launch\",\"description\":\"live\"}")))
                .body());
    long id = created.get("id").asLong();
    assertThat(
            send(HttpRequest.newBuilder(URI.create(base + "/api/v1/streams/" + id))
                    .header("Authorization", "Bearer " + token))
                .body())
        .contains("\"title\":\"Launch\"");

    // viewers: two join, one chats, both hear it and the viewer count
    List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletableFuture<?> onText(WebSocket ws, CharSequence data, boolean last) {
            heard.add(data.toString());
            ws.request(1);
            return null;
          }
        };
    String ws = "ws://127.0.0.1:" + port + "/api/v1/streams/";
    WebSocket a =
        client
            .newWebSocketBuilder()
            .buildAsync(URI.create(ws + id + "/ws?token=" + token), listener)
            .join();
    WebSocket b =
        client
            .newWebSocketBuilder()
            .buildAsync(URI.create(ws + id + "/ws?token=" + token), listener)
            .join();
    a.sendText("hello all", true).join();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (heard.stream().filter(h -> h.contains("hello all")).count() < 2) {
      assertThat(System.nanoTime()).as("chat broadcast: " + heard).isLessThan(deadline);
      Thread.sleep(20); // the broadcast arrives on the client's own thread
    }
    assertThat(heard).anyMatch(h -> h.contains("\"viewers\",\"count\":2"));
    a.sendClose(1000, "bye").join();
    b.sendClose(1000, "bye").join();
    assertThat(upgradeStatus(ws + "abc/ws?token=" + token)).isEqualTo(400);
    assertThat(upgradeStatus(ws + id + "/ws?token=forged")).isEqualTo(401);
    assertThat(upgradeStatus(ws + "99999/ws?token=" + token)).isEqualTo(404);

    // nginx-rtmp's callbacks: a good stream key's token publishes, a bad one is refused
    HttpResponse<String> publish =
        send(
            HttpRequest.newBuilder(URI.create(base + "/rtmp/on_publish"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "app=live&name=cam1&addr=10.0.0.5&token=" + token)));
    assertThat(publish.statusCode()).isEqualTo(200);
    long published = JSON.readTree(publish.body()).get("id").asLong();
    String publishedUrl = base + "/api/v1/streams/" + published;
    assertThat(
            send(HttpRequest.newBuilder(URI.create(publishedUrl))
                    .header("Authorization", "Bearer " + token))
                .body())
        .as("read once, so the service caches it live")
        .contains("\"status\":\"live\"");
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(URI.create(base + "/rtmp/on_publish"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("app=live&name=cam2&token=bad")));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("authentication failed");
    HttpResponse<String> done =
        send(
            HttpRequest.newBuilder(URI.create(base + "/rtmp/on_publish_done"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("app=live&name=cam1")));
    assertThat(done.body()).contains("\"ended\":true");
    assertThat(
            send(HttpRequest.newBuilder(URI.create(publishedUrl))
                    .header("Authorization", "Bearer " + token))
                .body())
        .as("ended by nginx-rtmp, not served stale from the cache")
        .contains("\"status\":\"ended\"");
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/admin/faults"))).statusCode())
        .as("faults are off unless asked for")
        .isEqualTo(404);

    return JSON.readTree(
        send(HttpRequest.newBuilder(URI.create("http://" + nova + "/debug/nova"))).body());
  }

  int upgradeStatus(String url) {
    try {
      client.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {}).join();
      return 101;
    } catch (CompletionException e) {
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  @Test
  void theServiceRunsWithNovaAsALibrary() throws Exception {
    try (ForkedJvm jvm = serve(List.of("-Dnova.port=0", "-Dnova.token=demo"))) {
      int port = port(jvm);
      String nova = novaAddress(jvm);
      assertThat(jvm.stdout()).contains("Nova as a library");
      JsonNode report = exercise(port, nova);
      assertThat(report.get("nova").get("mode").asText()).isEqualTo("library");
      assertThat(report.get("signals").get("http").toString()).contains("/api/v1/streams/{id}");
      assertThat(report.get("signals").get("websocket").get("refusedUpgradesLastMinute").toString())
          .contains("\"401\":1");
      assertThat(report.get("signals").get("jdbc")).isNotNull();
      assertThat(report.get("signals").get("caches").toString()).contains("caffeine@");
      assertThat(report.get("agent").get("errors").asLong()).isZero();
      jvm.closeStdin();
      assertThat(jvm.awaitExit(WAIT)).as(jvm.describe()).isZero();
    }
  }

  @Test
  void theServiceRunsWithTheAgent() throws Exception {
    try (ForkedJvm jvm =
        serve(List.of("-javaagent:" + jar("nova.agent.jar") + "=port=0,token=demo"))) {
      int port = port(jvm);
      String nova = novaAddress(jvm);
      assertThat(jvm.stdout()).contains("Nova as the agent");
      JsonNode report = exercise(port, nova);
      assertThat(report.get("nova").get("mode").asText()).isEqualTo("agent");
      assertThat(report.get("signals").get("http").toString()).contains("/api/v1/streams/{id}");
      assertThat(report.get("signals").get("pools").toString()).contains("streams");
      assertThat(report.get("signals").get("caches").toString()).contains("caffeine@");
      assertThat(report.get("agent").get("errors").asLong()).isZero();
      jvm.closeStdin();
      assertThat(jvm.awaitExit(WAIT)).as(jvm.describe()).isZero();
    }
  }

  @Test
  void theTourSaysWhatItNeedsWhenTheAgentJarIsMissing() throws Exception {
    try (ForkedJvm demo =
        ForkedJvm.start(
            ForkedJvm.currentJdk(),
            List.of("-jar", jar("nova.sample.jar"), "--agent", "/nonexistent/nova-agent.jar"))) {
      assertThat(demo.awaitExit(WAIT)).isEqualTo(2);
      assertThat(demo.stdout())
          .contains("No agent jar at /nonexistent/nova-agent.jar")
          .contains("mvn -B -q -DskipTests package");
    }
  }

  @Test
  void aServiceThatStartsNovaAsALibraryStillExitsWhenItsMainReturns() throws Exception {
    String cp =
        jar("nova.sample.jar")
            + java.io.File.pathSeparator
            + java.nio.file.Path.of("target", "test-classes").toAbsolutePath();
    try (ForkedJvm host =
        ForkedJvm.start(
            ForkedJvm.currentJdk(), List.of("-cp", cp, "dev.nova.sample.LibraryQuickHost"))) {
      assertThat(host.awaitExit(WAIT)).as(host.describe()).isZero();
      assertThat(host.stdout()).contains("host-done");
    }
  }
}
