package dev.leaderdemo.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time that named processes spend over a window, from /proc: what a burst cost each of
 * them, which a wall-clock time on a shared machine cannot tell apart.
 */
final class CpuWindow {

  private final Map<String, Long> pids;
  private final Map<String, Double> start = new LinkedHashMap<>();

  /**
   * @param pids the processes, by the names the figures give them, in the order to report them
   */
  CpuWindow(Map<String, Long> pids) {
    this.pids = pids;
    pids.forEach((name, pid) -> start.put(name, BenchContext.cpuSeconds(pid)));
  }

  /** The CPU seconds each process used since the window opened, in the order of the names. */
  Map<String, Double> spent() {
    Map<String, Double> spent = new LinkedHashMap<>();
    pids.forEach((name, pid) -> spent.put(name, BenchContext.cpuSeconds(pid) - start.get(name)));
    return spent;
  }
}
