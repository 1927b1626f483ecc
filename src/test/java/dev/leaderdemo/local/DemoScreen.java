package dev.leaderdemo.local;

import dev.leaderdemo.api.LeaderDemoStatus;
import java.util.List;

/** The live view of `make demo`: a pure rendering of what the demo knows now. */
final class DemoScreen {

  /** One local process and the part it plays. */
  record Row(String role, String name, long pid) {}

  /** Everything on the screen. */
  record Snapshot(String namespace, String name, LeaderDemoStatus status, Integer desiredReplicas, List<Row> rows,
      String lastFailover, String pending, String kubeconfig, String logs) {}

  private DemoScreen() {}

  static String render(Snapshot s) {
    StringBuilder out = new StringBuilder();
    LeaderDemoStatus st = s.status() == null ? new LeaderDemoStatus() : s.status();
    out.append("LeaderDemo ").append(s.namespace()).append('/').append(s.name())
        .append("  (demo replicas run as local processes, not pods)\n\n");
    line(out, "demo leader", orNone(st.getLeader())
        + (st.getLeaderSince() == null ? "" : "   since " + st.getLeaderSince()));
    line(out, "lease transitions", st.getLeaseTransitions() == null ? "-" : st.getLeaseTransitions().toString());
    line(out, "operator leader", orNone(st.getOperatorLeader()));
    line(out, "demo replicas", s.desiredReplicas() == null ? "-" : s.desiredReplicas().toString());
    line(out, "last failover", s.pending() != null ? s.pending() : orNone(s.lastFailover()));
    out.append('\n');
    out.append(String.format("  %-17s %-48s %s%n", "ROLE", "PROCESS", "PID"));
    for (Row row : s.rows()) {
      out.append(String.format("  %-17s %-48s %d%n", row.role(), row.name(), row.pid()));
    }
    out.append('\n');
    out.append("  t / k  SIGTERM / SIGKILL the demo leader      o / O  SIGTERM / SIGKILL the operator leader\n");
    out.append("  + / -  scale the LeaderDemo                    q      quit (or Ctrl-C); everything stops\n\n");
    out.append("  From another terminal:  export KUBECONFIG=").append(s.kubeconfig()).append('\n');
    out.append("    kubectl get leaderdemo -w\n");
    out.append("    kubectl get lease ").append(s.name()).append(" -o yaml\n");
    out.append("  Logs: ").append(s.logs()).append('\n');
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format("  %-18s %s%n", label, value));
  }

  private static String orNone(String value) {
    return value == null ? "(none)" : value;
  }
}
