package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/** Names and labels of everything a LeaderDemo becomes: the one place that decides them. */
public final class DemoResources {

  private DemoResources() {}

  /** Name of the ServiceAccount, Role, RoleBinding and Deployment. */
  public static String name(LeaderDemo demo) {
    return demo.getMetadata().getName();
  }

  public static String leaseName(LeaderDemo demo) {
    String leaseName = demo.getSpec() == null ? null : demo.getSpec().getLeaseName();
    return leaseName == null || leaseName.isBlank() ? demo.getMetadata().getName() : leaseName;
  }

  /**
   * Name, namespace and labels of each object the operator owns; JOSDK adds the owner reference.
   */
  public static ObjectMeta metadata(LeaderDemo demo) {
    return new ObjectMetaBuilder()
        .withName(name(demo))
        .withNamespace(demo.getMetadata().getNamespace())
        .withLabels(labels(demo))
        .build();
  }

  /** Labels of the objects the operator owns. */
  public static Map<String, String> labels(LeaderDemo demo) {
    return DemoLabels.managed(demo.getMetadata().getName());
  }

  /** Labels that select the demo pods of one LeaderDemo; fixed for the life of the Deployment. */
  public static Map<String, String> selectorLabels(LeaderDemo demo) {
    return DemoLabels.selector(demo.getMetadata().getName());
  }
}
