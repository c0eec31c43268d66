package dev.nova.core.heap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.core.Nova;
import dev.nova.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heap dumps over real HTTP into a real directory. */
class HeapDumpActionTest {
  static final String TOKEN = "dump-token";

  @TempDir Path tmp;

  private Nova nova(boolean enabled, Path dir) {
    return Nova.builder()
        .option("port", "0")
        .option("token", TOKEN)
        .option("heapDump", String.valueOf(enabled))
        .option("heap.dumpDir", dir.toString())
        .start();
  }

  @Test
  void offUnlessSwitchedOn() {
    try (Nova nova = nova(false, tmp.resolve("dumps"))) {
      Http.Answer a =
          new Http(nova.address().orElseThrow().getPort())
              .post("/debug/nova/actions/heap-dump", TOKEN);
      assertThat(a.status()).isEqualTo(403);
      assertThat(a.json().get("error").asText()).contains("heapDump=true");
      assertThat(tmp.resolve("dumps")).doesNotExist();
    }
  }

  @Test
  void writesAnOwnerOnlyDumpUnderANameNovaChoosesAndRefusesASecondOneSoon() throws Exception {
    Path dir = tmp.resolve("dumps");
    try (Nova nova = nova(true, dir)) {
      Http http = new Http(nova.address().orElseThrow().getPort());
      Http.Answer dry = http.post("/debug/nova/actions/heap-dump?dryRun=true", TOKEN);
      assertThat(dry.status()).isEqualTo(200);
      assertThat(dry.json().has("sizeBytes")).isFalse();

      Http.Answer a = http.post("/debug/nova/actions/heap-dump?live=true", TOKEN);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      JsonNode r = a.json();
      Path file = Path.of(r.get("path").asText());
      assertThat(file.getParent()).isEqualTo(dir.toAbsolutePath());
      assertThat(file.getFileName().toString()).matches("nova-heap-\\d+-\\d{8}-\\d{6}-1\\.hprof");
      assertThat(Files.size(file)).isEqualTo(r.get("sizeBytes").asLong()).isPositive();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");

      Http.Answer again = http.post("/debug/nova/actions/heap-dump", TOKEN);
      assertThat(again.status()).isEqualTo(429);
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.count()).isEqualTo(1);
      }
    }
  }

  @Test
  void aPathInTheRequestIsRefused() {
    try (Nova nova = nova(true, tmp.resolve("dumps"))) {
      Http http = new Http(nova.address().orElseThrow().getPort());
      for (String q : new String[] {"path=/tmp/x.hprof", "file=x", "dir=/etc"}) {
        Http.Answer a = http.post("/debug/nova/actions/heap-dump?" + q, TOKEN);
        assertThat(a.status()).as(q).isEqualTo(400);
      }
      assertThat(tmp.resolve("dumps")).doesNotExist();
    }
  }

  @Test
  void aDirectoryThatIsALinkIsRefused() throws Exception {
    Path real = Files.createDirectory(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    try (Nova nova = nova(true, link)) {
      Http.Answer a =
          new Http(nova.address().orElseThrow().getPort())
              .post("/debug/nova/actions/heap-dump", TOKEN);
      assertThat(a.status()).isEqualTo(409);
      try (Stream<Path> files = Files.list(real)) {
        assertThat(files.count()).isZero();
      }
    }
  }
}
