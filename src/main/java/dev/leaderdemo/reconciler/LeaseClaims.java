package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.dependent.DemoResources;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which LeaderDemo a Lease name belongs to when several in a namespace name the same Lease. The
 * Lease's own label says who claimed it first, as long as that LeaderDemo still names it; before
 * the Lease exists, or once its claimant names another, the oldest LeaderDemo wins (then the name,
 * so that every replica decides alike).
 */
final class LeaseClaims {

  static final String INDEX = "lease-name";

  private LeaseClaims() {}

  /** The key under which LeaderDemos are indexed by the Lease they name. */
  static String indexKey(LeaderDemo demo) {
    return demo.getMetadata().getNamespace() + "/" + DemoResources.leaseName(demo);
  }

  static String indexKey(Lease lease) {
    return lease.getMetadata().getNamespace() + "/" + lease.getMetadata().getName();
  }

  /**
   * @param sameLease every LeaderDemo in the namespace that names the same Lease, this one included
   *     or not
   * @return the name of the other LeaderDemo that owns the Lease, or empty when it is this one's
   */
  static Optional<String> claimedByAnother(
      LeaderDemo demo, Optional<Lease> lease, Collection<LeaderDemo> sameLease) {
    String name = demo.getMetadata().getName();
    String leaseName = DemoResources.leaseName(demo);
    var contenders =
        sameLease.stream()
            .filter(
                d -> d.getMetadata().getDeletionTimestamp() == null && d.specProblem().isEmpty())
            .filter(
                d ->
                    leaseName.equals(DemoResources.leaseName(d))
                        && !name.equals(d.getMetadata().getName()))
            .toList();
    Optional<String> labelled =
        lease.map(l -> l.getMetadata().getLabels()).map(labels -> labels.get(DemoLabels.INSTANCE));
    if (labelled.isPresent()) {
      if (labelled.get().equals(name)) {
        return Optional.empty();
      }
      if (contenders.stream().anyMatch(d -> d.getMetadata().getName().equals(labelled.get()))) {
        return labelled;
      }
    }
    Comparator<LeaderDemo> oldestFirst =
        Comparator.comparing(
                (LeaderDemo d) -> String.valueOf(d.getMetadata().getCreationTimestamp()))
            .thenComparing(d -> d.getMetadata().getName());
    return contenders.stream()
        .filter(d -> oldestFirst.compare(d, demo) < 0)
        .min(oldestFirst)
        .map(d -> d.getMetadata().getName());
  }
}
