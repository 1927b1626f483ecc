package dev.leaderdemo.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own count of the requests it served ({@code apiserver_request_total} on its
 * /metrics). It counts every client, so the difference of two readings is what happened in between.
 */
public final class ApiServerRequests {

  private static final Pattern SAMPLE =
      Pattern.compile("^apiserver_request_total\\{([^}]*)} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE");

  private record Series(Map<String, String> labels, double count) {}

  private ApiServerRequests() {}

  /** The requests of every series whose labels match, summed. */
  public static double total(KubernetesClient client, Predicate<Map<String, String>> labels) {
    return series(client).stream()
        .filter(s -> labels.test(s.labels()))
        .mapToDouble(Series::count)
        .sum();
  }

  /**
   * Creates, updates, patches, applies and deletes of these resources themselves (no subresource),
   * by verb and resource ("APPLY deployments"), as of now.
   */
  public static Map<String, Double> writes(KubernetesClient client, Set<String> resources) {
    Map<String, Double> by = new TreeMap<>();
    for (Series s : series(client)) {
      Map<String, String> l = s.labels();
      if (WRITES.contains(l.get("verb"))
          && l.getOrDefault("subresource", "").isEmpty()
          && resources.contains(l.get("resource"))) {
        by.merge(l.get("verb") + " " + l.get("resource"), s.count(), Double::sum);
      }
    }
    return by;
  }

  private static List<Series> series(KubernetesClient client) {
    List<Series> all = new ArrayList<>();
    for (String line : client.raw("/metrics").split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> l = new HashMap<>();
      Matcher lm = LABEL.matcher(m.group(1));
      while (lm.find()) {
        l.put(lm.group(1), lm.group(2));
      }
      all.add(new Series(l, Double.parseDouble(m.group(2))));
    }
    return all;
  }
}
