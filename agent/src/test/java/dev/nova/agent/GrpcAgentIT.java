package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import app.GrpcHost;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A gRPC-Java server, over grpc-netty-shaded (its Netty relocated out of the Netty hooks' reach)
 * and over grpc-netty (on Netty 4.1, where the HTTP/2 hooks see its streams and leave them), with a
 * hand-written service ({@code app.GrpcHost}), called by a real gRPC client: unary calls counted
 * exactly by status, {@code GRPC_ERROR_RATE} from 10% {@code UNAVAILABLE}, server-streaming calls
 * as open streams until the client cancels, and no HTTP series for any of it.
 */
class GrpcAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "grpc-token";

  @TempDir Path tmp;

  private static List<String> jars(String property) throws Exception {
    try (Stream<Path> jars = Files.list(Path.of(System.getProperty(property)))) {
      return jars.map(Path::toString).toList();
    }
  }

  /**
   * The host's gRPC: {@code shaded} (grpc-netty-shaded and what it needs), or grpc-netty on the
   * Netty 4.1 host's jars, the same gRPC core beside it.
   */
  static String grpcClassPath(String transport) throws Exception {
    List<String> cp = new ArrayList<>();
    for (String j : jars("nova.grpc.shaded")) {
      if (transport.equals("shaded") || !j.contains("grpc-netty-shaded")) {
        cp.add(j);
      }
    }
    if (!transport.equals("shaded")) {
      cp.addAll(jars("nova.grpc.netty"));
      cp.addAll(jars("nova.netty41"));
    }
    return String.join(File.pathSeparator, cp);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shaded", "netty"})
  void callsAreCountedByStatusStreamsAreOpenUntilCancelledAndNoneIsAnHttpRequest(String transport)
      throws Exception {
    try (ForkedJvm jvm =
        ForkedJvm.start(
            Jdks.all().get(0).home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=token="
                    + TOKEN
                    + ",port=0,detect.interval=200ms,http.minRequests=10,portFile="
                    + tmp.resolve("port"),
                "-cp",
                Jdks.hostClassPath() + File.pathSeparator + grpcClassPath(transport),
                "app.GrpcHost"))) {
      jvm.awaitStdout("host-ready", WAIT);
      String ready =
          jvm.stdout().lines().filter(l -> l.startsWith("host-ready")).findFirst().orElseThrow();
      int port = Integer.parseInt(ready.replaceAll(".*port=(\\d+).*", "$1"));
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      ManagedChannel channel =
          Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build();
      try {
        int failed = 0;
        for (int i = 0; i < 200; i++) {
          String request = i % 10 == 0 ? "fail " + i : "order " + i;
          try {
            ClientCalls.blockingUnaryCall(channel, GrpcHost.PAY, CallOptions.DEFAULT, request);
          } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            failed++;
          }
        }
        assertThat(failed).isEqualTo(20);

        String[] metrics = new String[1];
        jvm.await(
            "the 200 calls counted",
            WAIT,
            () -> {
              metrics[0] = nova.get("/debug/nova/metrics").body();
              return metrics[0].contains(
                      "nova_grpc_server_duration_seconds_count{code=\"OK\",method=\"Pay\","
                          + "service=\"nova.test.Payments\"} 180")
                  && metrics[0].contains(
                      "nova_grpc_server_duration_seconds_count{code=\"UNAVAILABLE\","
                          + "method=\"Pay\",service=\"nova.test.Payments\"} 20");
            });
        assertThat(metrics[0]).contains("nova_grpc_server_duration_seconds_bucket{");
        assertThat(metrics[0]).doesNotContain("nova_http_request_duration_seconds_count{");
        JsonNode grpc = nova.get("/debug/nova").json().get("signals").get("grpc");
        assertThat(grpc.get("calls").asLong()).isEqualTo(200);
        assertThat(grpc.get("errors").asLong()).isEqualTo(20);
        assertThat(grpc.get("byCode").get("UNAVAILABLE").asLong()).isEqualTo(20);
        assertThat(nova.get("/debug/nova").json().get("signals").has("http")).isFalse();

        JsonNode[] finding = new JsonNode[1];
        jvm.await(
            "GRPC_ERROR_RATE",
            WAIT,
            () -> {
              for (JsonNode f : nova.get("/debug/nova").json().get("findings")) {
                if (f.get("code").asText().equals("GRPC_ERROR_RATE")) {
                  finding[0] = f;
                  return true;
                }
              }
              return false;
            });
        assertThat(finding[0].get("severity").asText()).isEqualTo("HIGH"); // 10%: over 5%
        JsonNode method = finding[0].get("evidence").get("byMethod").get(0);
        assertThat(method.get("service").asText()).isEqualTo("nova.test.Payments");
        assertThat(method.get("method").asText()).isEqualTo("Pay");
        assertThat(method.get("calls").asLong()).isEqualTo(200);
        assertThat(method.get("errors").asLong()).isEqualTo(20);
        assertThat(method.get("busiestStatus").asText()).isEqualTo("UNAVAILABLE");

        // three server-streaming calls, open until the client cancels them
        List<ClientCall<String, String>> watches = new ArrayList<>();
        CountDownLatch first = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
          ClientCall<String, String> call = channel.newCall(GrpcHost.WATCH, CallOptions.DEFAULT);
          call.start(
              new ClientCall.Listener<>() {
                @Override
                public void onMessage(String message) {
                  first.countDown();
                }
              },
              new Metadata());
          call.sendMessage("payments " + i);
          call.halfClose();
          call.request(10);
          watches.add(call);
        }
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
        String streams =
            "nova_grpc_server_streams{method=\"Watch\",service=\"nova.test.Payments\"} ";
        jvm.await(
            "three open streams",
            WAIT,
            () -> nova.get("/debug/nova/metrics").body().contains(streams + "3.0"));
        assertThat(
                nova.get("/debug/nova")
                    .json()
                    .get("signals")
                    .get("grpc")
                    .get("openStreams")
                    .asInt())
            .isEqualTo(3);
        for (ClientCall<String, String> c : watches) {
          c.cancel("the viewer left", null);
        }
        jvm.await(
            "no open stream once cancelled",
            WAIT,
            () -> nova.get("/debug/nova/metrics").body().contains(streams + "0.0"));
        String after = nova.get("/debug/nova/metrics").body();
        assertThat(after)
            .contains(
                "nova_grpc_server_duration_seconds_count{code=\"CANCELLED\",method=\"Watch\","
                    + "service=\"nova.test.Payments\"} 3");
        assertThat(after).doesNotContain("nova_http_request_duration_seconds_count{");
        assertThat(nova.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
