package dev.leaderdemo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main/java depend on each other without a cycle, so each can be read, tested
 * and changed from the bottom up: contract, api, process, events and http at the bottom, the two
 * programs (operator, demo) at the top.
 */
class PackageGraphTest {

  private static final Path MAIN = Path.of("src/main/java");
  private static final String BASE = "dev.leaderdemo";
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.leaderdemo\\.([a-z][a-z0-9]*)\\.[A-Za-z]");

  /** Package to the packages its sources name (imports, static imports, qualified names). */
  static Map<String, Set<String>> graph(Path root) {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
        Set<String> uses = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          String used = BASE + "." + m.group(1);
          if (!used.equals(pkg)) {
            uses.add(used);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  /** A cycle, as the packages along it, if there is one. */
  static Optional<List<String>> cycle(Map<String, Set<String>> graph) {
    Set<String> done = new TreeSet<>();
    for (String start : graph.keySet()) {
      Optional<List<String>> found = visit(start, graph, new ArrayList<>(), done);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> visit(
      String pkg, Map<String, Set<String>> graph, List<String> path, Set<String> done) {
    int seen = path.indexOf(pkg);
    if (seen >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
      cycle.add(pkg);
      return Optional.of(cycle);
    }
    if (done.contains(pkg)) {
      return Optional.empty();
    }
    path.add(pkg);
    for (String next : graph.getOrDefault(pkg, Set.of())) {
      Optional<List<String>> found = visit(next, graph, path, done);
      if (found.isPresent()) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    done.add(pkg);
    return Optional.empty();
  }

  @Test
  void theMainPackagesHaveNoCycle() {
    Map<String, Set<String>> graph = graph(MAIN);
    assertThat(graph).containsKeys(BASE + ".operator", BASE + ".demo", BASE + ".contract");

    assertThat(cycle(graph)).as("a package cycle in %s: %s", MAIN, graph).isEmpty();
  }

  @Test
  void theSharedContractDependsOnNothingOfTheProject() {
    assertThat(graph(MAIN).get(BASE + ".contract")).isEmpty();
  }

  @Test
  void theDemoAppAndTheOperatorDoNotDependOnEachOther() {
    Map<String, Set<String>> graph = graph(MAIN);
    assertThat(graph.get(BASE + ".demo"))
        .doesNotContain(BASE + ".operator", BASE + ".reconciler", BASE + ".dependent");
    assertThat(graph.get(BASE + ".operator")).doesNotContain(BASE + ".demo");
  }

  /**
   * What a demo pod runs stays off fabric8's KubernetesClient and Jackson's ObjectMapper: either
   * one loads hundreds of classes (the client's model registry alone is some 700) into a process
   * whose memory is the point of the demo. The packages are the demo app's and those it uses.
   */
  @Test
  void theDemoPodsCodeUsesNeitherTheKubernetesClientNorAnObjectMapper() throws IOException {
    List<String> demoPod = List.of("demo", "election", "apiserver", "events", "http", "process");
    Pattern heavy =
        Pattern.compile(
            "io\\.fabric8\\.kubernetes\\.client\\.(KubernetesClient|utils\\.Serialization)\\b"
                + "|com\\.fasterxml\\.jackson\\.databind\\.ObjectMapper");
    List<String> found = new ArrayList<>();
    for (String pkg : demoPod) {
      try (Stream<Path> files = Files.list(MAIN.resolve("dev/leaderdemo/" + pkg))) {
        for (Path file : files.toList()) {
          Matcher m = heavy.matcher(Files.readString(file));
          if (m.find()) {
            found.add(MAIN.relativize(file) + " names " + m.group());
          }
        }
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void aCycleIsFoundWhereThereIsOne() {
    Map<String, Set<String>> graph =
        Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertThat(cycle(graph))
        .hasValueSatisfying(c -> assertThat(c).hasSize(4).contains("a", "b", "c"));
    assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
  }
}
