package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and labels of everything a LeaderDemo becomes: the one place that decides them. */
public final class DemoResources {

  public static final String APP_NAME = "leaderdemo";
  public static final String MANAGED_BY = "leaderdemo-operator";
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";

  /** Selects what the operator creates; its informers see nothing else. */
  public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGED_BY;

  /** Selects the Leases that demo pods create (they label them, see the demo app). */
  public static final String LEASE_SELECTOR =
      LABEL_PART_OF + "=" + APP_NAME + "," + LABEL_COMPONENT + "=lease";

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
    Map<String, String> labels = selectorLabels(demo);
    labels.put(LABEL_MANAGED_BY, MANAGED_BY);
    labels.put(LABEL_PART_OF, APP_NAME);
    return labels;
  }

  /** Labels that select the demo pods of one LeaderDemo; fixed for the life of the Deployment. */
  public static Map<String, String> selectorLabels(LeaderDemo demo) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, APP_NAME);
    labels.put(LABEL_INSTANCE, demo.getMetadata().getName());
    return labels;
  }

  /** Labels the demo app puts on its Lease, so that the operator can watch only demo Leases. */
  public static Map<String, String> leaseLabels(String leaderDemoName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, APP_NAME);
    labels.put(LABEL_INSTANCE, leaderDemoName);
    labels.put(LABEL_PART_OF, APP_NAME);
    labels.put(LABEL_COMPONENT, "lease");
    return labels;
  }
}
