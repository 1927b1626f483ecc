package dev.leaderdemo.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recommended {@code app.kubernetes.io} labels of everything a LeaderDemo becomes, and the
 * selectors built from them. The operator labels what it creates; the demo app labels the Lease it
 * creates, so that the operator can watch demo Leases and nothing else.
 */
public final class DemoLabels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String COMPONENT = "app.kubernetes.io/component";

  public static final String APP = "leaderdemo";
  public static final String OPERATOR = "leaderdemo-operator";
  public static final String LEASE_COMPONENT = "lease";

  /**
   * On the one demo pod that holds its LeaderDemo's Lease, put and taken away by the operator; the
   * leader Service selects it.
   */
  public static final String LEADER = "leaderdemo.dev/leader";

  public static final String LEADER_VALUE = "true";

  /** Selects what the operator creates; its informers see nothing else. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  /** Selects the Leases that demo pods create. */
  public static final String LEASE_SELECTOR =
      PART_OF + "=" + APP + "," + COMPONENT + "=" + LEASE_COMPONENT;

  private DemoLabels() {}

  /** Labels that select the demo pods of one LeaderDemo; fixed for the life of the Deployment. */
  public static Map<String, String> selector(String leaderDemoName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP);
    labels.put(INSTANCE, leaderDemoName);
    return labels;
  }

  /** Labels of the objects the operator owns. */
  public static Map<String, String> managed(String leaderDemoName) {
    Map<String, String> labels = selector(leaderDemoName);
    labels.put(MANAGED_BY, OPERATOR);
    labels.put(PART_OF, APP);
    return labels;
  }

  /** Labels the demo app puts on its Lease. */
  public static Map<String, String> lease(String leaderDemoName) {
    Map<String, String> labels = selector(leaderDemoName);
    labels.put(PART_OF, APP);
    labels.put(COMPONENT, LEASE_COMPONENT);
    return labels;
  }
}
