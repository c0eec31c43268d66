package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutesTest {
  @Test
  void idsBecomeTemplatesAndQueriesNeverReachARoute() {
    Routes r = new Routes(null);
    assertThat(r.route("/api/v1/streams/42")).isEqualTo("/api/v1/streams/{id}");
    assertThat(r.route("/api/v1/streams/42/ws?token=secret")).isEqualTo("/api/v1/streams/{id}/ws");
    assertThat(r.route("/u/123e4567-e89b-12d3-a456-426614174000/x")).isEqualTo("/u/{id}/x");
    assertThat(r.route("/blob/0123456789abcdef0123")).isEqualTo("/blob/{id}");
    assertThat(r.route("/health")).isEqualTo("/health");
    assertThat(r.route("http://host:8080/api/7#frag")).isEqualTo("/api/{id}");
    assertThat(r.route("")).isEqualTo("/");
    assertThat(r.route("/a;jsessionid=abc")).isEqualTo("/a");
  }

  @Test
  void explicitPatternsWinAndMatchOneSegmentEach() {
    Routes r = new Routes("/api/v1/streams/{stream}/ws; /users/{name}");
    assertThat(r.route("/api/v1/streams/live-one/ws")).isEqualTo("/api/v1/streams/{stream}/ws");
    assertThat(r.route("/users/alice")).isEqualTo("/users/{name}");
    assertThat(r.route("/users/alice/posts")).isEqualTo("/users/alice/posts");
  }

  @Test
  void distinctRoutesAreBounded() {
    Routes r = new Routes(null);
    for (int i = 0; i < Routes.MAX_ROUTES + 100; i++) {
      r.route("/page-" + Integer.toString(i, 36) + "x");
    }
    assertThat(r.route("/yet-another-one")).isEqualTo(Routes.OTHER);
    assertThat(r.route("/page-0x")).isEqualTo("/page-0x"); // known routes keep their name
  }
}
