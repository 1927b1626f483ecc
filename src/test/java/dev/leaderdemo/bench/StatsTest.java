package dev.leaderdemo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianAndNearestRankPercentiles() {
    List<Double> ten = List.of(10.0, 1.0, 9.0, 2.0, 8.0, 3.0, 7.0, 4.0, 6.0, 5.0);
    assertThat(Stats.median(ten)).isEqualTo(5.5);
    assertThat(Stats.percentile(ten, 95)).isEqualTo(10.0);
    assertThat(Stats.percentile(ten, 50)).isEqualTo(5.0);
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.percentile(List.of(4.0), 99)).isEqualTo(4.0);
    assertThatThrownBy(() -> Stats.median(List.of())).hasMessage("no values");
  }

  @Test
  void theTableShowsMedianAndTheChosenPercentile() {
    BenchResults results = new BenchResults();
    results.add("Demo failover", "propagation", List.of(10.0, 20.0, 30.0), "ms", 99, "note");
    results.single("Footprint", "resident memory", 123.456, "MiB", null);
    assertThat(results.markdown())
        .contains("| Demo failover | propagation | 3 | 20.0 | p99 30.0 | ms | note |")
        .contains("| Footprint | resident memory | 1 | 123 |  | MiB |  |");
    assertThat(results.json(java.util.Map.of("command", "make bench")))
        .contains("\"p99\":30.0")
        .contains("\"command\":\"make bench\"");
  }
}
