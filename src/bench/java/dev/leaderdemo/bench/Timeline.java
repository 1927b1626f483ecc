package dev.leaderdemo.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Watches one kind in a namespace and stamps, with System.nanoTime, the moment a condition on an
 * object is first seen; it also counts the updates that changed a chosen part of each object (e.g.
 * its status: a status write).
 */
final class Timeline<T extends HasMetadata> implements AutoCloseable {

  private record Waiter<T>(String name, Predicate<T> condition, CompletableFuture<Long> seen) {}

  private final SharedIndexInformer<T> informer;
  private final Function<T, Object> part;
  private final Map<String, T> latest = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> changes = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> changedAt = new ConcurrentHashMap<>();
  private final List<Waiter<T>> waiters = new CopyOnWriteArrayList<>();

  Timeline(KubernetesClient client, Class<T> type, String namespace, Function<T, Object> part) {
    this.part = part;
    this.informer =
        client
            .resources(type)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(T obj) {
                    seen(null, obj);
                  }

                  @Override
                  public void onUpdate(T old, T obj) {
                    seen(old, obj);
                  }

                  @Override
                  public void onDelete(T obj, boolean unknown) {
                    latest.remove(obj.getMetadata().getName());
                  }
                });
  }

  private void seen(T old, T obj) {
    long now = System.nanoTime();
    String name = obj.getMetadata().getName();
    latest.put(name, obj);
    if (old == null || !Objects.equals(part.apply(old), part.apply(obj))) {
      changedAt.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(now);
    }
    if (old != null && !Objects.equals(part.apply(old), part.apply(obj))) {
      changes.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    }
    for (Waiter<T> w : waiters) {
      if (w.name().equals(name) && w.condition().test(obj)) {
        w.seen().complete(now);
        waiters.remove(w);
      }
    }
  }

  /** Completes with the nanoTime at which {@code name} was first seen meeting {@code condition}. */
  CompletableFuture<Long> when(String name, Predicate<T> condition) {
    Waiter<T> w = new Waiter<>(name, condition, new CompletableFuture<>());
    waiters.add(w);
    T now = latest.get(name);
    if (now != null && condition.test(now)) {
      w.seen().complete(System.nanoTime());
      waiters.remove(w);
    }
    return w.seen();
  }

  T latest(String name) {
    return latest.get(name);
  }

  /**
   * The nanoTime at which the measured part of {@code name} was last seen to change before {@code
   * nanos}.
   */
  long lastChangeBefore(String name, long nanos) {
    return changedAt.getOrDefault(name, List.of()).stream()
        .filter(t -> t - nanos < 0)
        .max(Long::compare)
        .orElseThrow(() -> new IllegalStateException(name + " never changed before that"));
  }

  int changes(String name) {
    AtomicInteger n = changes.get(name);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    informer.close();
  }
}
