package dev.nova.spring;

import dev.nova.core.Nova;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/** {@code /actuator/info}'s {@code nova}: Nova's version and mode. */
final class NovaInfoContributor implements InfoContributor {
  private final Nova nova;

  NovaInfoContributor(Nova nova) {
    this.nova = nova;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", Nova.version());
    m.put("mode", nova.mode());
    builder.withDetail("nova", m);
  }
}
