package dev.nova.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the running version comes from, in order, on real jar files. */
class ServiceVersionTest {
  @TempDir Path tmp;

  private Path jar(String name, String implementationVersion) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (implementationVersion != null) {
      m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, implementationVersion);
    }
    Path p = tmp.resolve(name);
    try (OutputStream o = Files.newOutputStream(p);
        JarOutputStream j = new JarOutputStream(o, m)) {
      j.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
      j.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void theOptionThenTheManifestThenAChecksum() throws Exception {
    Path versioned = jar("orders-2.3.jar", "2.3.1");
    assertThat(ServiceVersion.detect("9.9", versioned).value()).isEqualTo("9.9");
    ServiceVersion fromManifest = ServiceVersion.detect(null, versioned);
    assertThat(fromManifest.value()).isEqualTo("2.3.1");
    assertThat(fromManifest.source()).isEqualTo("manifest of orders-2.3.jar");
    assertThat(fromManifest.service()).as("the version left out of the name").isEqualTo("orders");
    assertThat(ServiceVersion.serviceName(Path.of("/x/orders-2.4.0-SNAPSHOT.jar")))
        .isEqualTo("orders");
    assertThat(ServiceVersion.serviceName(Path.of("/x/orders.jar"))).isEqualTo("orders");

    Path plain = jar("plain.jar", null);
    ServiceVersion sum = ServiceVersion.detect(" ", plain);
    assertThat(sum.value()).matches("sha256:[0-9a-f]{12}");
    assertThat(ServiceVersion.detect(null, plain).value()).isEqualTo(sum.value());
    assertThat(ServiceVersion.detect(null, jar("other.jar", null)).value())
        .isNotEqualTo(sum.value());
    assertThat(ServiceVersion.detect(null, null).value()).isEqualTo("unknown");
  }
}
