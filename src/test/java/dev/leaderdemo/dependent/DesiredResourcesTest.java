package dev.leaderdemo.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.DemoPodResources;
import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.ResourceAmounts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each dependent's desired object for a given LeaderDemo, compared with a golden YAML file under
 * src/test/resources/golden. After an intended change, regenerate them with -Dgolden.update=true
 * and review the diff.
 */
class DesiredResourcesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String IMAGE = "registry.example/leaderdemo:1.0";

  static LeaderDemo sample() throws IOException {
    LeaderDemo demo =
        Serialization.unmarshal(
            Files.readString(Path.of("samples/leaderdemo.yaml")), LeaderDemo.class);
    demo.getMetadata().setNamespace("demo-ns");
    demo.getMetadata().setUid("2f8f4c1e-5b0e-4d8a-9a43-000000000001");
    return demo;
  }

  static LeaderDemo customised() throws IOException {
    LeaderDemo demo = sample();
    demo.getSpec().setReplicas(5);
    demo.getSpec().setImage("example.org/custom-demo:2");
    demo.getSpec().setImagePullPolicy("IfNotPresent");
    demo.getSpec().setLeaseName("custom.lease");
    demo.getSpec().setReleaseOnCancel(false);
    ResourceAmounts requests = new ResourceAmounts();
    requests.setCpu(new Quantity("100m"));
    ResourceAmounts limits = new ResourceAmounts();
    limits.setMemory(new Quantity("300Mi"));
    DemoPodResources resources = new DemoPodResources();
    resources.setRequests(requests);
    resources.setLimits(limits);
    demo.getSpec().setResources(resources);
    return demo;
  }

  static Stream<Arguments> cases() {
    Function<LeaderDemo, HasMetadata> sa =
        d -> new DemoServiceAccountDependentResource().desired(d, null);
    Function<LeaderDemo, HasMetadata> role = d -> new DemoRoleDependentResource().desired(d, null);
    Function<LeaderDemo, HasMetadata> binding =
        d -> new DemoRoleBindingDependentResource().desired(d, null);
    Function<LeaderDemo, HasMetadata> deployment =
        d -> new DemoDeploymentDependentResource(IMAGE).desired(d, null);
    return Stream.of(
        Arguments.of("serviceaccount.yaml", false, sa),
        Arguments.of("role.yaml", false, role),
        Arguments.of("rolebinding.yaml", false, binding),
        Arguments.of("deployment.yaml", false, deployment),
        Arguments.of("deployment-customised.yaml", true, deployment));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void desiredMatchesGoldenFile(
      String file, boolean custom, Function<LeaderDemo, HasMetadata> desired) throws IOException {
    String actual = Serialization.asYaml(desired.apply(custom ? customised() : sample()));
    Path golden = GOLDEN.resolve(file);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual);
    }
    assertThat(golden).as("golden file %s (regenerate with -Dgolden.update=true)", golden).exists();
    assertThat(actual).isEqualTo(Files.readString(golden));
  }
}
