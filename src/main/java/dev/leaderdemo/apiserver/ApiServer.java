package dev.leaderdemo.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * JSON requests to the Kubernetes API server, configured as fabric8 configures its client (the
 * pod's service account in a cluster, else {@code KUBERNETES_*} variables or a kubeconfig) and sent
 * over {@link HttpConnection}s kept open between requests.
 *
 * <p>Why not fabric8's KubernetesClient in the demo pod: the first object it reads makes its
 * deserializer register every model class it can find, about 700 of them, and with its HTTP stack
 * it loads some 6,400 classes, half of a demo pod's memory, for five kinds of request on two kinds
 * of object. Each request here is tried once (twice only when a kept connection turns out to have
 * been closed by the server): its caller knows when to try again.
 */
public final class ApiServer implements AutoCloseable {

  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration TOKEN_RELOAD = Duration.ofMinutes(1);

  private final URI server;
  private final SSLSocketFactory tls;
  private final boolean verifyHostname;
  private final Supplier<String> authorization;
  private final List<Map.Entry<String, String>> impersonation;
  private final Deque<HttpConnection> idle = new ConcurrentLinkedDeque<>();

  /**
   * Requests at once (a watch, on a connection of its own, aside). A burst of concurrent requests
   * (the Events of many reconciles at once) waits for a kept connection rather than opening one
   * each: every new connection costs both ends a TLS handshake, and the JDK keeps each handshake's
   * session in a cache that a full GC does not empty.
   */
  static final int MAX_CONNECTIONS = 8;

  private final Semaphore connections;

  private volatile boolean closed;

  ApiServer(
      URI server,
      SSLSocketFactory tls,
      boolean verifyHostname,
      Supplier<String> authorization,
      List<Map.Entry<String, String>> impersonation) {
    this(server, tls, verifyHostname, authorization, impersonation, MAX_CONNECTIONS);
  }

  ApiServer(
      URI server,
      SSLSocketFactory tls,
      boolean verifyHostname,
      Supplier<String> authorization,
      List<Map.Entry<String, String>> impersonation,
      int maxConnections) {
    this.connections = new Semaphore(maxConnections, true);
    this.server = server;
    this.tls = tls;
    this.verifyHostname = verifyHostname;
    this.authorization = authorization;
    this.impersonation = List.copyOf(impersonation);
  }

  /** The API server that fabric8's configuration finds in this process's environment. */
  public static ApiServer fromEnvironment() {
    return forConfig(Config.autoConfigure(null));
  }

  /** The API server {@code config} names, with its certificates and credentials. */
  public static ApiServer forConfig(Config config) {
    return forConfig(config, MAX_CONNECTIONS);
  }

  /**
   * As {@link #forConfig(Config)}, for a client that sends up to {@code maxConnections} at once.
   */
  public static ApiServer forConfig(Config config, int maxConnections) {
    URI server = URI.create(config.getMasterUrl());
    SSLSocketFactory tls = null;
    if ("https".equalsIgnoreCase(server.getScheme())) {
      try {
        tls = SSLUtils.sslContext(config).getSocketFactory();
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(
            "cannot set up TLS to " + server + " from the configuration: " + e.getMessage(), e);
      }
    }
    return new ApiServer(
        server,
        tls,
        !config.isTrustCerts(),
        authorization(config),
        impersonation(config),
        maxConnections);
  }

  /** The headers by which a user the configuration names is impersonated, as fabric8 sends them. */
  static List<Map.Entry<String, String>> impersonation(Config config) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (config.getImpersonateUsername() != null && !config.getImpersonateUsername().isBlank()) {
      headers.add(Map.entry("Impersonate-User", config.getImpersonateUsername()));
      if (config.getImpersonateGroups() != null) {
        for (String group : config.getImpersonateGroups()) {
          headers.add(Map.entry("Impersonate-Group", group));
        }
      }
      if (config.getImpersonateExtras() != null) {
        config
            .getImpersonateExtras()
            .forEach(
                (key, values) ->
                    values.forEach(v -> headers.add(Map.entry("Impersonate-Extra-" + key, v))));
      }
    }
    return headers;
  }

  /**
   * A bearer token, or basic credentials, or nothing (client certificates). The service account's
   * token file is read again every minute: the kubelet replaces the token before it expires.
   */
  static Supplier<String> authorization(Config config) {
    if (config.getOauthTokenProvider() != null) {
      return () -> "Bearer " + config.getOauthTokenProvider().getToken();
    }
    if (config.getOauthToken() != null && !config.getOauthToken().isBlank()) {
      String header = "Bearer " + config.getOauthToken();
      return () -> header;
    }
    Path tokenFile = Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH);
    if (config.getAutoOAuthToken() != null && Files.isReadable(tokenFile)) {
      return new TokenFile(tokenFile, config.getAutoOAuthToken());
    }
    if (config.getAutoOAuthToken() != null && !config.getAutoOAuthToken().isBlank()) {
      String header = "Bearer " + config.getAutoOAuthToken();
      return () -> header;
    }
    if (config.getUsername() != null && config.getPassword() != null) {
      String header =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (config.getUsername() + ":" + config.getPassword())
                          .getBytes(StandardCharsets.UTF_8));
      return () -> header;
    }
    return () -> null;
  }

  public JsonNode get(String path, Duration timeout) {
    return send("GET", path, null, null, timeout);
  }

  public JsonNode create(String path, JsonNode body, Duration timeout) {
    return send("POST", path, "application/json", Json.write(body), timeout);
  }

  public JsonNode replace(String path, JsonNode body, Duration timeout) {
    return send("PUT", path, "application/json", Json.write(body), timeout);
  }

  public JsonNode patch(String path, String contentType, String body, Duration timeout) {
    return send("PATCH", path, contentType, body, timeout);
  }

  /**
   * A long-running GET (a watch) on a connection of its own: its body, read as it comes; closing it
   * closes the connection.
   *
   * @param readTimeout the longest silence before the read fails
   */
  InputStream stream(String path, Duration readTimeout) {
    HttpConnection connection = open(readTimeout);
    try {
      HttpConnection.Response response =
          connection.exchange("GET", path, headers(null), null, readTimeout);
      if (response.code() >= 300) {
        String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        connection.close();
        throw new ApiException(response.code(), statusMessage(body, response.code()));
      }
      return new FilterInputStream(response.body()) {
        @Override
        public void close() throws IOException {
          connection.close();
        }
      };
    } catch (IOException e) {
      closeQuietly(connection);
      throw failure(e, readTimeout);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (HttpConnection connection; (connection = idle.poll()) != null; ) {
      closeQuietly(connection);
    }
  }

  /** Waits at most {@code timeout} for a connection, then as long again for the answer. */
  private JsonNode send(
      String method, String path, String contentType, String body, Duration timeout) {
    try {
      if (!connections.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new ApiException(
            "no connection to the API server free within " + timeout.toMillis() + " ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted while waiting for a connection", e);
    }
    try {
      return sendOnKeptOrNewConnection(method, path, contentType, body, timeout);
    } finally {
      connections.release();
    }
  }

  private JsonNode sendOnKeptOrNewConnection(
      String method, String path, String contentType, String body, Duration timeout) {
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; ; attempt++) {
      HttpConnection kept = attempt == 0 ? idle.poll() : null;
      HttpConnection connection = kept != null ? kept : open(timeout);
      try {
        HttpConnection.Response response =
            connection.exchange(method, path, headers(contentType), bytes, timeout);
        String answer = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        if (response.keepAlive() && !closed) {
          idle.push(connection);
        } else {
          connection.close();
        }
        if (response.code() >= 300) {
          throw new ApiException(response.code(), statusMessage(answer, response.code()));
        }
        return Json.read(answer);
      } catch (EOFException e) {
        closeQuietly(connection);
        if (kept == null) {
          throw failure(e, timeout);
        }
        // a kept connection the server had closed: once more on a new one
      } catch (IOException e) {
        closeQuietly(connection);
        throw failure(e, timeout);
      }
    }
  }

  /** A new connection, connected and past its TLS handshake within the request's timeout too. */
  private HttpConnection open(Duration requestTimeout) {
    Duration timeout =
        requestTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? requestTimeout : CONNECT_TIMEOUT;
    try {
      return HttpConnection.open(server, tls, verifyHostname, timeout);
    } catch (IOException e) {
      throw failure(e, timeout);
    }
  }

  private List<Map.Entry<String, String>> headers(String contentType) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(8);
    headers.add(Map.entry("Accept", "application/json"));
    headers.add(Map.entry("User-Agent", "leaderdemo"));
    String credentials = authorization.get();
    if (credentials != null) {
      headers.add(Map.entry("Authorization", credentials));
    }
    headers.addAll(impersonation);
    if (contentType != null) {
      headers.add(Map.entry("Content-Type", contentType));
    }
    return headers;
  }

  private static ApiException failure(IOException e, Duration timeout) {
    if (e instanceof SocketTimeoutException) {
      return new ApiException("no answer within " + timeout.toMillis() + " ms", e);
    }
    return new ApiException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }

  private static void closeQuietly(HttpConnection connection) {
    try {
      connection.close();
    } catch (IOException e) {
      // it is being dropped
    }
  }

  /** The message of the Status object the API server sends with a failure, or the body itself. */
  static String statusMessage(String body, int code) {
    try {
      JsonNode status = Json.read(body);
      if (status.hasNonNull("message")) {
        return status.get("message").asText();
      }
    } catch (IOException e) {
      // not a Status: show what came
    }
    return "HTTP " + code + (body.isBlank() ? "" : ": " + body.strip());
  }

  /** The service account's token, read from its file again once a minute. */
  private static final class TokenFile implements Supplier<String> {
    private final Path file;
    private String token;
    private long readAtNanos;

    TokenFile(Path file, String token) {
      this.file = file;
      this.token = token;
      this.readAtNanos = System.nanoTime();
    }

    @Override
    public synchronized String get() {
      if (System.nanoTime() - readAtNanos > TOKEN_RELOAD.toNanos()) {
        try {
          token = Files.readString(file).strip();
        } catch (IOException e) {
          // keep the token read before; the API server says when it no longer takes it
        }
        readAtNanos = System.nanoTime();
      }
      return "Bearer " + token;
    }
  }
}
