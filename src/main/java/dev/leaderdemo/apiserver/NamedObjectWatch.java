package dev.leaderdemo.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leaderdemo.process.DaemonThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one object, named in a collection, as an informer of one object would: a list, then a
 * watch from the list's resourceVersion, resumed from the last version seen when the API server
 * ends it, and a new list when that version is too old (410 Gone). Every state seen goes to the
 * handler, null once the object is gone; the first list also calls {@link Handler#synced()}.
 *
 * <p>It runs on one thread of its own, which spends its life blocked on the watch's response.
 */
public final class NamedObjectWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NamedObjectWatch.class);

  /** client-go's reflector asks for 5 to 10 minutes, so watches do not all end at once. */
  private static final int MIN_WATCH_SECONDS = 300;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

  /** What the watch tells; called on the watch's thread. */
  public interface Handler {
    void observed(JsonNode objectOrNull);

    void synced();
  }

  private final ApiServer api;
  private final String collection;
  private final String selector;
  private final Handler handler;
  private final Thread thread;

  private volatile boolean closed;
  private volatile InputStream open;

  /**
   * @param collection the collection's path, e.g. {@code
   *     /apis/coordination.k8s.io/v1/namespaces/ns/leases}
   */
  public NamedObjectWatch(ApiServer api, String collection, String name, Handler handler) {
    this.api = api;
    this.collection = collection;
    this.selector =
        "fieldSelector=" + URLEncoder.encode("metadata.name=" + name, StandardCharsets.UTF_8);
    this.handler = handler;
    this.thread = DaemonThreads.named("watch-" + name).newThread(this::run);
  }

  public void start() {
    thread.start();
  }

  @Override
  public void close() {
    closed = true;
    InputStream stream = open;
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // closing is all that is wanted
      }
    }
    thread.interrupt();
  }

  private void run() {
    String version = null;
    boolean synced = false;
    Duration backoff = Duration.ofMillis(250);
    while (!closed) {
      try {
        if (version == null) {
          JsonNode list = api.get(collection + "?" + selector, REQUEST_TIMEOUT);
          version = list.path("metadata").path("resourceVersion").asText();
          JsonNode items = list.path("items");
          handler.observed(items.size() == 0 ? null : items.get(0));
          if (!synced) {
            synced = true;
            handler.synced();
          }
        }
        version = watchFrom(version);
        backoff = Duration.ofMillis(250);
      } catch (ApiException | IOException e) {
        if (closed) {
          return;
        }
        if (e instanceof ApiException api && api.code() == 410) {
          version = null;
          continue;
        }
        log.warn(
            "watching {} ({}) failed, again in {} ms: {}",
            collection,
            selector,
            backoff.toMillis(),
            e.getMessage());
        if (!pause(backoff)) {
          return;
        }
        backoff = Collections.min(List.of(backoff.multipliedBy(2), MAX_BACKOFF));
      }
    }
  }

  /**
   * One watch request, read to its end.
   *
   * @return the resourceVersion to resume from, or null when a new list is needed
   */
  private String watchFrom(String version) throws IOException {
    int seconds = MIN_WATCH_SECONDS + ThreadLocalRandom.current().nextInt(MIN_WATCH_SECONDS);
    String path =
        collection
            + "?"
            + selector
            + "&watch=true&allowWatchBookmarks=true&timeoutSeconds="
            + seconds
            + "&resourceVersion="
            + URLEncoder.encode(version, StandardCharsets.UTF_8);
    // the API server ends the watch after `seconds`; a longer silence is a connection lost
    try (InputStream stream = api.stream(path, Duration.ofSeconds(seconds + 30));
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      open = stream;
      if (closed) {
        return version; // closed while this request was opening: close() saw no stream to close
      }
      String line;
      while (!closed && (line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = Json.read(line);
        String type = event.path("type").asText();
        JsonNode object = event.path("object");
        if (type.equals("ERROR")) {
          int code = object.path("code").asInt();
          if (code == 410) {
            return null;
          }
          throw new ApiException(code, object.path("message").asText("watch error"));
        }
        version = object.path("metadata").path("resourceVersion").asText(version);
        switch (type) {
          case "ADDED", "MODIFIED" -> handler.observed(object);
          case "DELETED" -> handler.observed(null);
          default -> {} // BOOKMARK: only the version moves on
        }
      }
      return version;
    } finally {
      open = null;
    }
  }

  private boolean pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }
}
