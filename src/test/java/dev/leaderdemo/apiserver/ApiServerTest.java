package dev.leaderdemo.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 as {@link HttpConnection} speaks it: bodies of a known length or chunked, connections
 * kept between requests, a kept connection that the server closed. The Kubernetes side of these
 * requests is tested on the real API server (LeaseElectionIT and the demo's ITs); this is only the
 * framing, against a socket that answers with bytes written out here.
 */
class ApiServerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Answers each connection's requests with the next of these, in order; null closes it. */
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  private final List<String> requests = new ArrayList<>();
  private final List<String> headers = new ArrayList<>();
  private final ServerSocket server;
  private final Thread acceptor;
  private int connections;

  ApiServerTest() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "test-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private ApiServer api() {
    return new ApiServer(
        URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
        null,
        false,
        () -> null,
        List.of());
  }

  @Test
  void aBodyOfKnownLengthIsReadAndTheConnectionKeptForTheNextRequest() {
    answers.add(ok("{\"a\":1}"));
    answers.add(ok("{\"b\":[true,null,\"x\"]}"));
    try (ApiServer api = api()) {
      assertThat(api.get("/one", TIMEOUT).get("a").asInt()).isEqualTo(1);
      assertThat(Json.write(api.get("/two", TIMEOUT))).isEqualTo("{\"b\":[true,null,\"x\"]}");
    }
    assertThat(requests).containsExactly("GET /one HTTP/1.1", "GET /two HTTP/1.1");
    assertThat(connections).isEqualTo(1);
  }

  @Test
  void concurrentRequestsBeyondTheLimitWaitForAKeptConnectionInsteadOfOpeningOne()
      throws Exception {
    int n = 6;
    for (int i = 0; i < n; i++) {
      answers.add(ok("{\"n\":" + i + "}"));
    }
    ExecutorService callers = Executors.newFixedThreadPool(n);
    try (ApiServer api =
        new ApiServer(
            URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
            null,
            false,
            () -> null,
            List.of(),
            1)) {
      List<Future<JsonNode>> answered = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        answered.add(callers.submit(() -> api.get("/concurrent", TIMEOUT)));
      }
      // the test server answers one connection at a time: a second one would wait until the
      // first closed, and the first is kept
      for (Future<JsonNode> answer : answered) {
        assertThat(answer.get(30, TimeUnit.SECONDS).has("n")).isTrue();
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(requests).hasSize(n);
    assertThat(connections).isEqualTo(1);
  }

  @Test
  void aChunkedBodyIsJoinedFromItsChunks() {
    answers.add(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4\r\n{\"a\"\r\n"
            + "6;ext=1\r\n:\"xyz\"\r\n"
            + "1\r\n}\r\n"
            + "0\r\n\r\n");
    try (ApiServer api = api()) {
      assertThat(api.get("/chunked", TIMEOUT).get("a").asText()).isEqualTo("xyz");
    }
  }

  @Test
  void aWatchIsReadLineByLineAsItsChunksCome() throws IOException {
    answers.add(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "10\r\n{\"type\":\"ADDED\"}\r\n"
            + "1\r\n\n\r\n"
            + "11\r\n{\"type\":\"DELETED\"\r\n"
            + "2\r\n}\n\r\n"
            + "0\r\n\r\n");
    try (ApiServer api = api();
        InputStream watch = api.stream("/watch", TIMEOUT);
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(watch, StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("{\"type\":\"ADDED\"}");
      assertThat(lines.readLine()).isEqualTo("{\"type\":\"DELETED\"}");
      assertThat(lines.readLine()).isNull();
    }
  }

  /**
   * A collection listed page by page, then watched from the list's version: each object without its
   * managedFields, and an event handed on as soon as its bytes have come, while the watch stays
   * open.
   */
  @Test
  void aCollectionIsListedInPagesThenWatchedAndEachEventComesAtOnce() throws Exception {
    String managed = ",\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:spec\":{}}}]";
    // each list answer ends its connection: this server serves one connection at a time, and the
    // watch comes on a connection of its own
    answers.add(
        lastOnConnection(
            "{\"metadata\":{\"resourceVersion\":\"5\",\"continue\":\"c1\"},\"items\":[{\"metadata\":{\"name\":\"a\""
                + managed
                + "}}]}"));
    answers.add(
        lastOnConnection(
            "{\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[{\"metadata\":{\"name\":\"b\"}}]}"));
    String event =
        "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"8\""
            + managed
            + "}}}\n";
    int half = event.length() / 2;
    answers.add(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(half)
            + "\r\n"
            + event.substring(0, half)
            + "\r\n"
            + Integer.toHexString(event.length() - half)
            + "\r\n"
            + event.substring(half)
            + "\r\n"); // and no last chunk: the watch goes on
    BlockingQueue<String> told = new LinkedBlockingQueue<>();
    try (ApiServer api = api();
        CollectionWatch watch =
            CollectionWatch.labelled(
                api,
                "/apis/coordination.k8s.io/v1/leases",
                "app=x",
                "test-watch",
                new CollectionWatch.Handler() {
                  @Override
                  public void listed(List<JsonNode> objects) {
                    told.add("listed " + objects);
                  }

                  @Override
                  public void changed(JsonNode object) {
                    told.add("changed " + object);
                  }

                  @Override
                  public void deleted(JsonNode object) {
                    told.add("deleted " + object);
                  }
                })) {
      watch.start();
      assertThat(told.poll(5, TimeUnit.SECONDS))
          .isEqualTo("listed [{\"metadata\":{\"name\":\"a\"}}, {\"metadata\":{\"name\":\"b\"}}]");
      assertThat(told.poll(5, TimeUnit.SECONDS))
          .isEqualTo("changed {\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"8\"}}");
    }
    assertThat(requests)
        .satisfiesExactly(
            first ->
                assertThat(first)
                    .startsWith(
                        "GET /apis/coordination.k8s.io/v1/leases?labelSelector=app%3Dx&limit=500 "),
            second -> assertThat(second).contains("&limit=500&continue=c1 "),
            watch ->
                assertThat(watch)
                    .contains("labelSelector=app%3Dx&watch=true&allowWatchBookmarks=true")
                    .contains("&resourceVersion=7 "));
  }

  @Test
  void aKeptConnectionThatTheServerClosedIsReplacedOnce() {
    answers.add(ok("{\"n\":1}"));
    answers.add(CLOSE);
    answers.add(ok("{\"n\":2}"));
    try (ApiServer api = api()) {
      assertThat(api.get("/first", TIMEOUT).get("n").asInt()).isEqualTo(1);
      assertThat(api.get("/second", TIMEOUT).get("n").asInt()).isEqualTo(2);
    }
    assertThat(connections).isEqualTo(2);
  }

  @Test
  void aRefusalCarriesTheStatusCodeAndTheApiServersMessage() {
    answers.add(
        answer(
            "409 Conflict",
            "{\"kind\":\"Status\",\"message\":\"the object has been modified\",\"code\":409}"));
    try (ApiServer api = api()) {
      assertThatThrownBy(() -> api.replace("/lease", Json.object(), TIMEOUT))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo(409);
                assertThat(e.getMessage()).isEqualTo("the object has been modified");
              });
    }
  }

  @Test
  void noAnswerWithinTheTimeoutIsAFailureWithoutACode() {
    answers.add(SILENCE);
    try (ApiServer api = api()) {
      assertThatThrownBy(() -> api.get("/hung", Duration.ofMillis(300)))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isZero();
                assertThat(e.getMessage()).isEqualTo("no answer within 300 ms");
              });
    }
  }

  /**
   * The credentials and the impersonation of fabric8's configuration go with every request: the
   * operator's Events and its release are sent as the ServiceAccount RbacIT impersonates.
   */
  @Test
  void theConfigurationsTokenAndImpersonationGoWithEachRequest() {
    answers.add(ok("{}"));
    Config config =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + server.getLocalPort())
            .withOauthToken("t0ken")
            .withImpersonateUsername("system:serviceaccount:ns:operator")
            .withImpersonateGroups("system:serviceaccounts", "system:authenticated")
            .build();
    try (ApiServer api = ApiServer.forConfig(config)) {
      api.get("/who", TIMEOUT);
    }
    assertThat(headers)
        .contains(
            "Authorization: Bearer t0ken",
            "Impersonate-User: system:serviceaccount:ns:operator",
            "Impersonate-Group: system:serviceaccounts",
            "Impersonate-Group: system:authenticated");
  }

  private static final String CLOSE = "close";
  private static final String SILENCE = "silence";

  private static String ok(String json) {
    return answer("200 OK", json);
  }

  private static String lastOnConnection(String json) {
    return ok(json).replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
  }

  private static String answer(String status, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return "HTTP/1.1 "
        + status
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length
        + "\r\n\r\n"
        + json;
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        synchronized (this) {
          connections++;
        }
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = socket.getOutputStream();
        while (true) {
          String requestLine = in.readLine();
          if (requestLine == null) {
            break;
          }
          int length = 0;
          for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            synchronized (this) {
              headers.add(h);
            }
            if (h.toLowerCase().startsWith("content-length:")) {
              length = Integer.parseInt(h.substring(15).strip());
            }
          }
          in.skip(length);
          String answer = answers.poll(5, TimeUnit.SECONDS);
          if (answer == null || answer.equals(CLOSE)) {
            break;
          }
          synchronized (this) {
            requests.add(requestLine);
          }
          if (answer.equals(SILENCE)) {
            Thread.sleep(2_000);
            break;
          }
          out.write(answer.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }
}
