package dev.leaderdemo.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small HTTP server for probes and status endpoints: each path answers a status code and a body.
 */
public final class ProbeServer implements AutoCloseable {

  /** What a path answers. */
  public record Response(int status, String contentType, String body) {
    public static Response text(boolean ok, String body) {
      return new Response(ok ? 200 : 503, "text/plain; charset=utf-8", body + "\n");
    }

    public static Response json(String body) {
      return new Response(200, "application/json", body + "\n");
    }

    /** Prometheus' text exposition format, version 0.0.4. */
    public static Response prometheus(String body) {
      return new Response(200, "text/plain; version=0.0.4; charset=utf-8", body);
    }
  }

  private final HttpServer server;

  private ProbeServer(HttpServer server) {
    this.server = server;
  }

  /** Starts serving on all interfaces (the kubelet probes the pod IP); port 0 picks a free one. */
  public static ProbeServer start(int port, Map<String, Supplier<Response>> routes) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      routes.forEach(
          (path, route) -> server.createContext(path, exchange -> answer(exchange, path, route)));
      server.start();
      return new ProbeServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
  }

  private static void answer(HttpExchange exchange, String path, Supplier<Response> route)
      throws IOException {
    try (exchange) {
      Response response =
          exchange.getRequestURI().getPath().equals(path)
              ? route.get()
              : new Response(404, "text/plain; charset=utf-8", "not found\n");
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
