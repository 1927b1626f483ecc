package dev.leaderdemo.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM of a demo pod, for demo processes on this machine: the options the demo Deployment gives
 * it (JAVA_TOOL_OPTIONS), and its memory limit as the JVM would see it in the container. An option
 * naming a file inside the image (the class data archive) is left out: there is no such file here.
 */
final class DemoJvm {

  private static final String TEMPLATE = "/dev/leaderdemo/dependent/demo-deployment.yaml";

  private DemoJvm() {}

  static List<String> options() {
    Container demo = container();
    List<String> options = new ArrayList<>();
    Quantity limit = demo.getResources().getLimits().get("memory");
    options.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(limit).longValue());
    demo.getEnv().stream()
        .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .map(EnvVar::getValue)
        .flatMap(v -> Arrays.stream(v.trim().split("\\s+")))
        .filter(o -> !o.startsWith("-XX:SharedArchiveFile="))
        .forEach(options::add);
    return options;
  }

  /** The memory limit of a demo pod, as the Deployment sets it. */
  static String memoryLimit() {
    return container().getResources().getLimits().get("memory").toString();
  }

  private static Container container() {
    try (InputStream in = DemoJvm.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(TEMPLATE + " is not on the classpath");
      }
      Deployment deployment = new KubernetesSerialization().unmarshal(in, Deployment.class);
      return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
