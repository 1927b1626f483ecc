package dev.leaderdemo.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and nearest-rank percentiles. */
final class Stats {

  private Stats() {}

  static double median(List<Double> values) {
    List<Double> sorted = sorted(values);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The smallest value that at least {@code p} percent of the values do not exceed. */
  static double percentile(List<Double> values, double p) {
    List<Double> sorted = sorted(values);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static List<Double> sorted(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted;
  }
}
