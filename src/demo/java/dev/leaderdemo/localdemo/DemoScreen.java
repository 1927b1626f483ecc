package dev.leaderdemo.localdemo;

import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemoStatus;
import java.util.List;

/** The live view of `make demo`: a pure rendering of what the demo knows now. */
final class DemoScreen {

  /** One pod and the part it plays. */
  record Row(String role, String pod, String ready, String phase, int restarts) {}

  /** Everything on the screen. */
  record Snapshot(
      String namespace,
      String name,
      LeaderDemoStatus status,
      Integer desiredReplicas,
      List<Row> rows,
      String lastFailover,
      String pending,
      String leaderService,
      String kubeconfig) {}

  private DemoScreen() {}

  static String render(Snapshot s) {
    StringBuilder out = new StringBuilder();
    LeaderDemoStatus st = s.status() == null ? new LeaderDemoStatus() : s.status();
    out.append("LeaderDemo ")
        .append(s.namespace())
        .append('/')
        .append(s.name())
        .append("  (pods on a real local node)\n\n");
    line(
        out,
        "demo leader",
        orNone(st.getLeader())
            + (st.getLeaderSince() == null ? "" : "   since " + st.getLeaderSince()));
    line(
        out,
        "lease transitions",
        st.getLeaseTransitions() == null ? "-" : st.getLeaseTransitions().toString());
    line(out, "operator leader", orNone(st.getOperatorLeader()));
    line(
        out,
        "demo pods ready",
        (st.getReadyReplicas() == null ? "0" : st.getReadyReplicas())
            + " of "
            + (s.desiredReplicas() == null ? "-" : s.desiredReplicas()));
    line(out, "last failover", s.pending() != null ? s.pending() : orNone(s.lastFailover()));
    line(out, "without a leader", leaderless(st));
    line(out, "leader Service", s.leaderService() == null ? "(none yet)" : s.leaderService());
    out.append('\n');
    out.append(
        String.format(
            "  %-17s %-46s %-6s %-12s %s%n", "ROLE", "POD", "READY", "STATUS", "RESTARTS"));
    for (Row row : s.rows()) {
      out.append(
          String.format(
              "  %-17s %-46s %-6s %-12s %d%n",
              row.role(), row.pod(), row.ready(), row.phase(), row.restarts()));
    }
    out.append('\n');
    out.append(
        "  t / k  delete the demo leader's pod / with --grace-period=0 --force    c  crash it"
            + " (SIGKILL)\n");
    out.append(
        "  o / O  the same for the operator leader's pod                          C  crash it"
            + " (SIGKILL)\n");
    out.append(
        "  + / -  scale the LeaderDemo      q  quit (or Ctrl-C): the cluster is taken down\n\n");
    out.append("  From another terminal:  export KUBECONFIG=").append(s.kubeconfig()).append('\n');
    out.append("    kubectl get leaderdemo -w\n");
    out.append("    kubectl logs -f deployment/").append(s.name()).append('\n');
    out.append("    kubectl get lease ").append(s.name()).append(" -o yaml\n");
    out.append("    kubectl get endpointslices -l kubernetes.io/service-name=")
        .append(s.name())
        .append("-leader\n");
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format("  %-18s %s%n", label, value));
  }

  /** The operator's measure of the last failover, from the status. */
  private static String leaderless(LeaderDemoStatus st) {
    if (st.getFailovers() == null || st.getFailovers().isEmpty()) {
      return "(no failover seen yet)";
    }
    Failover last = st.getFailovers().get(0);
    return last.getLeaderlessFor()
        + "   "
        + last.getPreviousLeader()
        + " -> "
        + last.getLeader()
        + " ("
        + last.getCause()
        + ", status.failovers)";
  }

  private static String orNone(String value) {
    return value == null ? "(none)" : value;
  }
}
