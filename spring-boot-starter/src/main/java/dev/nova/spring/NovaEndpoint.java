package dev.nova.spring;

import dev.nova.core.Nova;
import dev.nova.core.remediation.ActionDispatcher;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.util.Json;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.lang.Nullable;
import org.springframework.util.MimeType;

/**
 * {@code /actuator/nova}: the report ({@code ?format=text} for a person), and {@code POST
 * /actuator/nova/<action>} runs one of Nova's actions with the parameters it takes. Reads are open
 * to whoever Actuator lets read; actions are off unless the application grants the endpoint
 * unrestricted access ({@code management.endpoint.nova.access=unrestricted}), and then behind the
 * application's own security (Spring Security when present), as Spring Boot keeps {@code heapdump}.
 * Every action is audited under the caller Actuator authenticated.
 */
@Endpoint(id = "nova", defaultAccess = Access.READ_ONLY)
public class NovaEndpoint {
  static final MimeType JSON = MimeType.valueOf("application/json");
  static final MimeType TEXT = MimeType.valueOf("text/plain;charset=UTF-8");

  private final Nova nova;

  NovaEndpoint(Nova nova) {
    this.nova = nova;
  }

  @ReadOperation(produces = {"application/json", "text/plain"})
  public WebEndpointResponse<String> report(@Nullable String format) {
    if (format == null || format.equals("json")) {
      return new WebEndpointResponse<>(
          new String(nova.reportJson(), StandardCharsets.UTF_8), 200, JSON);
    }
    if (format.equals("text")) {
      return new WebEndpointResponse<>(nova.reportText(), 200, TEXT);
    }
    return new WebEndpointResponse<>(
        json(Map.of("error", "format is json or text, not " + format)), 400, JSON);
  }

  /** One action; each parameter is one of Nova's actions' (the action says which it takes). */
  @WriteOperation(produces = "application/json")
  public WebEndpointResponse<String> act(
      SecurityContext security,
      @Selector String action,
      @Nullable String dryRun,
      @Nullable String cache,
      @Nullable String fraction,
      @Nullable String olderThan,
      @Nullable String includeBusy,
      @Nullable String pool,
      @Nullable String size,
      @Nullable String seconds,
      @Nullable String top,
      @Nullable String stacks,
      @Nullable String pid,
      @Nullable String live,
      @Nullable String maxDepth,
      @Nullable String virtual,
      @Nullable String route) {
    Map<String, String> params = new LinkedHashMap<>();
    put(params, ActionRequest.DRY_RUN, dryRun);
    put(params, "cache", cache);
    put(params, "fraction", fraction);
    put(params, "olderThan", olderThan);
    put(params, "includeBusy", includeBusy);
    put(params, "pool", pool);
    put(params, "size", size);
    put(params, "seconds", seconds);
    put(params, "top", top);
    put(params, "stacks", stacks);
    put(params, "pid", pid);
    put(params, "live", live);
    put(params, "maxDepth", maxDepth);
    put(params, "virtual", virtual);
    put(params, "route", route);
    Principal who = security == null ? null : security.getPrincipal();
    ActionDispatcher.Outcome o =
        nova.act("actuator:" + (who == null ? "anonymous" : who.getName()), action, params);
    return new WebEndpointResponse<>(json(o.body()), o.status(), JSON);
  }

  /** The parameters {@link #act} passes on, for the test that keeps them in step with Nova's. */
  static final java.util.List<String> PARAMETERS =
      java.util.List.of(
          ActionRequest.DRY_RUN,
          "cache",
          "fraction",
          "olderThan",
          "includeBusy",
          "pool",
          "size",
          "seconds",
          "top",
          "stacks",
          "pid",
          "live",
          "maxDepth",
          "virtual",
          "route");

  private static void put(Map<String, String> params, String name, String value) {
    if (value != null) {
      params.put(name, value);
    }
  }

  private static String json(Object body) {
    return new String(Json.render(body), StandardCharsets.UTF_8);
  }
}
