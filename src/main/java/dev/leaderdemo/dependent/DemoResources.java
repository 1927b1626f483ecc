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

  /**
   * The leader Service's name: {@code <name>-leader}. A Service name is a DNS label (lowercase
   * letters, digits and '-', starting with a letter, at most 63 characters), which a LeaderDemo's
   * name need not be; such a name is made into one, cut to fit, with a hash of the whole name so
   * that two LeaderDemos never share a Service.
   */
  public static String leaderServiceName(LeaderDemo demo) {
    String name = demo.getMetadata().getName();
    String wanted = name + LEADER_SUFFIX;
    if (DNS_LABEL.matcher(wanted).matches()) {
      return wanted;
    }
    String hash = Integer.toHexString(name.hashCode() & 0x7fffffff);
    String base = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "ld-" + base;
    }
    int room = 63 - LEADER_SUFFIX.length() - hash.length() - 1;
    base = base.substring(0, Math.min(base.length(), room)).replaceAll("-+$", "");
    return base + "-" + hash + LEADER_SUFFIX;
  }

  private static final String LEADER_SUFFIX = "-leader";
  private static final java.util.regex.Pattern DNS_LABEL =
      java.util.regex.Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  /** Labels of the objects the operator owns. */
  public static Map<String, String> labels(LeaderDemo demo) {
    return DemoLabels.managed(demo.getMetadata().getName());
  }

  /** Labels that select the demo pods of one LeaderDemo; fixed for the life of the Deployment. */
  public static Map<String, String> selectorLabels(LeaderDemo demo) {
    return DemoLabels.selector(demo.getMetadata().getName());
  }
}
