package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
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

  /** Labels of the objects the operator owns. */
  public static Map<String, String> labels(LeaderDemo demo) {
    return DemoLabels.managed(demo.getMetadata().getName());
  }

  /** Labels that select the demo pods of one LeaderDemo; fixed for the life of the Deployment. */
  public static Map<String, String> selectorLabels(LeaderDemo demo) {
    return DemoLabels.selector(demo.getMetadata().getName());
  }
}
