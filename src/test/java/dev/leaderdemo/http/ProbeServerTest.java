package dev.leaderdemo.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.http.ProbeServer.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProbeServerTest {

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersEachPathAndNothingElse() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(true);
    try (ProbeServer server =
        ProbeServer.start(
            0,
            Map.of(
                "/healthz", () -> Response.text(healthy.get(), healthy.get() ? "ok" : "broken"),
                "/leader", () -> Response.json("{\"leader\":\"a\"}")))) {
      assertThat(get(server.port(), "/healthz"))
          .satisfies(
              r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("ok\n");
              });
      healthy.set(false);
      assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(503);
      HttpResponse<String> leader = get(server.port(), "/leader");
      assertThat(leader.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(leader.body()).isEqualTo("{\"leader\":\"a\"}\n");
      assertThat(get(server.port(), "/healthz/extra").statusCode()).isEqualTo(404);
      assertThat(get(server.port(), "/").statusCode()).isEqualTo(404);
    }
  }
}
