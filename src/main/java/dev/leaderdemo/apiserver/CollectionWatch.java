package dev.leaderdemo.apiserver;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leaderdemo.process.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the objects of a collection that a selector picks, as an informer does without its cache:
 * a list (in pages), then a watch from the list's resourceVersion, resumed from the last version
 * seen when the API server ends it, and a new list when that version is too old (410 Gone). The
 * objects come without their managedFields, which a watcher that never applies them back has no use
 * for and which are most of the bytes to decode.
 *
 * <p>It runs on one thread of its own, which spends its life blocked on the watch's response; the
 * handler is called on it.
 */
public final class CollectionWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CollectionWatch.class);

  /** client-go's reflector asks for 5 to 10 minutes, so watches do not all end at once. */
  private static final int MIN_WATCH_SECONDS = 300;

  /** client-go's pager asks for 500 objects a page. */
  private static final int PAGE = 500;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
  private static final String SKIPPED = "managedFields";

  /** What the watch tells; called on the watch's thread. */
  public interface Handler {
    /** The whole selection after a list: it replaces everything told before. */
    void listed(List<JsonNode> objects);

    /** An object added or changed. */
    void changed(JsonNode object);

    /** An object gone, in its last state. */
    void deleted(JsonNode object);
  }

  private final ApiServer api;
  private final String collection;
  private final String selector;
  private final Handler handler;
  private final Thread thread;

  private volatile boolean closed;
  private volatile InputStream open;

  /** System.nanoTime() of the first failure since the last list or watch that worked; 0: none. */
  private volatile long failingSince;

  /**
   * @param collection the collection's path, e.g. {@code
   *     /apis/coordination.k8s.io/v1/namespaces/ns/leases}
   */
  private CollectionWatch(
      ApiServer api, String collection, String selector, String threadName, Handler handler) {
    this.api = api;
    this.collection = collection;
    this.selector = selector;
    this.handler = handler;
    this.thread = DaemonThreads.named(threadName).newThread(this::run);
  }

  /** The one object of {@code collection} named {@code name}. */
  public static CollectionWatch named(
      ApiServer api, String collection, String name, Handler handler) {
    return new CollectionWatch(
        api, collection, query("fieldSelector", "metadata.name=" + name), "watch-" + name, handler);
  }

  /** The objects of {@code collection} whose labels match {@code labelSelector}. */
  public static CollectionWatch labelled(
      ApiServer api, String collection, String labelSelector, String threadName, Handler handler) {
    return new CollectionWatch(
        api, collection, query("labelSelector", labelSelector), threadName, handler);
  }

  private static String query(String parameter, String value) {
    return parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  public void start() {
    thread.start();
  }

  /** How long lists and watches have failed without one working in between; zero when none has. */
  public Duration failingFor() {
    long since = failingSince;
    return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
  }

  /**
   * Ends the watch and returns at once: closing a TLS socket sends close_notify, which can wait on
   * a server that hangs, and a shutdown must not.
   */
  @Override
  public void close() {
    closed = true;
    InputStream stream = open;
    if (stream != null) {
      DaemonThreads.start(
          thread.getName() + "-close",
          () -> {
            try {
              stream.close();
            } catch (IOException e) {
              // closing is all that is wanted
            }
          });
    }
    thread.interrupt();
  }

  private void run() {
    String version = null;
    Duration backoff = Duration.ofMillis(250);
    while (!closed) {
      try {
        if (version == null) {
          version = list();
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
        if (failingSince == 0) {
          failingSince = System.nanoTime();
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
   * Lists the selection page by page, hands it on whole, and returns the resourceVersion to watch
   * from. An expired continue token is a 410, which lists again from the start.
   */
  private String list() {
    List<JsonNode> objects = new ArrayList<>();
    String next = "";
    String version;
    do {
      String path = collection + "?" + selector + "&limit=" + PAGE;
      if (!next.isEmpty()) {
        path += "&continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
      }
      JsonNode page = api.get(path, REQUEST_TIMEOUT);
      page.path("items").forEach(item -> objects.add(withoutManagedFields(item)));
      version = page.path("metadata").path("resourceVersion").asText();
      next = page.path("metadata").path("continue").asText("");
    } while (!next.isEmpty());
    failingSince = 0;
    handler.listed(objects);
    return version;
  }

  private static JsonNode withoutManagedFields(JsonNode item) {
    if (item.path("metadata").isObject()) {
      ((ObjectNode) item.get("metadata")).remove(SKIPPED);
    }
    return item;
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
        JsonParser events = Json.values(stream)) {
      open = stream;
      failingSince = 0;
      if (closed) {
        return version; // closed while this request was opening: close() saw no stream to close
      }
      JsonNode event;
      // parsed from the bytes as they come: no line, no String, for 500 events a second
      while (!closed && (event = Json.next(events, SKIPPED)) != null) {
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
          case "ADDED", "MODIFIED" -> handler.changed(object);
          case "DELETED" -> handler.deleted(object);
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
