package dev.leaderdemo.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden scenarios: each folder under src/test/resources/golden holds a LeaderDemo
 * (leaderdemo.yaml) and what each dependent must desire for it (serviceaccount.yaml, role.yaml,
 * rolebinding.yaml, deployment.yaml, service.yaml). A new case is a new folder. After an intended
 * change, regenerate the expected files with -Dgolden.update=true and review the diff.
 */
class DesiredResourcesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String INPUT = "leaderdemo.yaml";
  private static final String IMAGE = "registry.example/leaderdemo:1.0";

  private static final Map<String, Function<LeaderDemo, HasMetadata>> DEPENDENTS =
      Map.of(
          "serviceaccount.yaml", d -> new DemoServiceAccountDependentResource().desired(d, null),
          "role.yaml", d -> new DemoRoleDependentResource().desired(d, null),
          "rolebinding.yaml", d -> new DemoRoleBindingDependentResource().desired(d, null),
          "deployment.yaml", d -> new DemoDeploymentDependentResource(IMAGE).desired(d, null),
          "service.yaml", d -> new DemoLeaderServiceDependentResource().desired(d, null));

  static Stream<Arguments> cases() throws IOException {
    List<Path> folders;
    try (Stream<Path> listed = Files.list(GOLDEN)) {
      folders = listed.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(folders).as("golden scenarios in %s", GOLDEN).isNotEmpty();
    return folders.stream()
        .flatMap(
            folder ->
                DEPENDENTS.keySet().stream()
                    .sorted()
                    .map(file -> Arguments.of(folder.getFileName() + "/" + file)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void desiredMatchesGoldenFile(String scenarioFile) throws IOException {
    Path expected = GOLDEN.resolve(scenarioFile);
    LeaderDemo demo = read(expected.resolveSibling(INPUT));
    String actual =
        Serialization.asYaml(DEPENDENTS.get(expected.getFileName().toString()).apply(demo));
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(expected, actual);
    }
    assertThat(expected)
        .as("golden file %s (regenerate with -Dgolden.update=true)", expected)
        .exists();
    assertThat(actual).isEqualTo(Files.readString(expected));
  }

  @Test
  void theSampleScenarioIsTheShippedSample() throws IOException {
    LeaderDemo shipped = read(Path.of("samples/leaderdemo.yaml"));
    LeaderDemo scenario = read(GOLDEN.resolve("sample").resolve(INPUT));

    assertThat(scenario.getMetadata().getName()).isEqualTo(shipped.getMetadata().getName());
    assertThat(Serialization.asYaml(scenario.getSpec()))
        .isEqualTo(Serialization.asYaml(shipped.getSpec()));
  }

  private static LeaderDemo read(Path file) throws IOException {
    return Serialization.unmarshal(Files.readString(file), LeaderDemo.class);
  }
}
