package dev.leaderdemo.testkit;

import dev.leaderdemo.contract.LeaderDemoKind;

/**
 * A LeaderDemo as the YAML a user gives {@code kubectl apply -f -}. Spec lines are text, so that a
 * test can also write what the Java types cannot hold ({@code replicas: three}).
 */
public final class LeaderDemoYaml {

  private final String name;
  private final StringBuilder spec = new StringBuilder();

  private LeaderDemoYaml(String name) {
    this.name = name;
  }

  public static LeaderDemoYaml named(String name) {
    return new LeaderDemoYaml(name);
  }

  public LeaderDemoYaml replicas(int replicas) {
    return spec("replicas: " + replicas);
  }

  public LeaderDemoYaml timings(int leaseSeconds, int renewSeconds, int retrySeconds) {
    return spec("leaseDurationSeconds: " + leaseSeconds)
        .spec("renewDeadlineSeconds: " + renewSeconds)
        .spec("retryPeriodSeconds: " + retrySeconds);
  }

  public LeaderDemoYaml leaseName(String leaseName) {
    return spec("leaseName: " + leaseName);
  }

  /** One line of the spec, as written under {@code spec:} (its own lines indented as nested). */
  public LeaderDemoYaml spec(String line) {
    spec.append("  ").append(line).append('\n');
    return this;
  }

  public String yaml() {
    return "apiVersion: "
        + LeaderDemoKind.API_VERSION
        + "\nkind: "
        + LeaderDemoKind.KIND
        + "\nmetadata:\n  name: "
        + name
        + "\nspec:"
        + (spec.isEmpty() ? " {}\n" : "\n" + spec);
  }
}
