package dev.leaderdemo.bench;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one `make bench` run: a Markdown table for people, JSON for tools. */
final class BenchResults {

  /** One figure: repeated measurements (median, p95 and a third percentile) or a single one. */
  record Row(
      String section,
      String measure,
      List<Double> values,
      String unit,
      double upper,
      String note) {}

  private final List<Row> rows = new ArrayList<>();

  void add(String section, String measure, List<Double> values, String unit, String note) {
    rows.add(new Row(section, measure, List.copyOf(values), unit, 95, note));
  }

  /** Like {@link #add} but the last column is the given percentile (p99 for propagation). */
  void add(
      String section, String measure, List<Double> values, String unit, double upper, String note) {
    rows.add(new Row(section, measure, List.copyOf(values), unit, upper, note));
  }

  void single(String section, String measure, double value, String unit, String note) {
    rows.add(new Row(section, measure, List.of(value), unit, 95, note));
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| section | measure | n | median | p95 / p99 | unit | note |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      boolean repeated = r.values().size() > 1;
      out.append("| ")
          .append(r.section())
          .append(" | ")
          .append(r.measure())
          .append(" | ")
          .append(r.values().size())
          .append(" | ")
          .append(format(Stats.median(r.values())))
          .append(" | ")
          .append(
              repeated
                  ? "p" + (int) r.upper() + " " + format(Stats.percentile(r.values(), r.upper()))
                  : "")
          .append(" | ")
          .append(r.unit())
          .append(" | ")
          .append(r.note() == null ? "" : r.note())
          .append(" |\n");
    }
    return out.toString();
  }

  String json(Map<String, Object> about) {
    List<Map<String, Object>> figures = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("section", r.section());
      f.put("measure", r.measure());
      f.put("unit", r.unit());
      f.put("n", r.values().size());
      f.put("median", Stats.median(r.values()));
      f.put("p" + (int) r.upper(), Stats.percentile(r.values(), r.upper()));
      f.put("values", r.values());
      f.put("note", r.note());
      figures.add(f);
    }
    Map<String, Object> doc = new LinkedHashMap<>(about);
    doc.put("figures", figures);
    return Serialization.asJson(doc);
  }

  static String format(double v) {
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }
}
