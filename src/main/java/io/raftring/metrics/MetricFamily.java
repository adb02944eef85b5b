package io.raftring.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What every metric family shares: name, help, label names, children by label values, and the HELP/TYPE header.
 *
 * @param <C> the child type: one time series per combination of label values
 */
public abstract sealed class MetricFamily<C> permits Counter, Gauge, Histogram {

  private static final Comparator<List<String>> LABEL_ORDER = (a, b) -> {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  };

  private final String name;
  private final String help;
  private final List<String> labelNames;
  final Map<List<String>, C> children = new ConcurrentHashMap<>();

  MetricFamily(String name, String help, List<String> labelNames) {
    this.name = MetricsRegistry.requireName(name);
    this.help = Objects.requireNonNull(help, "help");
    this.labelNames = List.copyOf(labelNames);
    for (String label : this.labelNames) {
      if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || label.startsWith("__") || reservedLabel(label)) {
        throw new IllegalArgumentException("invalid label name '" + label + "' for metric " + name);
      }
    }
    if (new HashSet<>(this.labelNames).size() != this.labelNames.size()) {
      throw new IllegalArgumentException("duplicate label names " + this.labelNames + " for metric " + name);
    }
  }

  public String name() {
    return name;
  }

  public String help() {
    return help;
  }

  public List<String> labelNames() {
    return labelNames;
  }

  /** Calls {@code action} with each child and its label values (in the order of the label names), in no order. */
  public void forEachChild(BiConsumer<List<String>, C> action) {
    children.forEach(action);
  }

  /** "counter", "gauge" or "histogram", as the TYPE line says. */
  abstract String type();

  boolean reservedLabel(String label) {
    return false;
  }

  boolean sameShapeAs(MetricFamily<?> other) {
    return type().equals(other.type()) && help.equals(other.help) && labelNames.equals(other.labelNames);
  }

  /** The child for these label values, created on first use. */
  C child(String[] labelValues, Function<List<String>, C> create) {
    List<String> key = labelKey(labelValues);
    C child = children.get(key);
    return child != null ? child : children.computeIfAbsent(key, create);
  }

  List<String> labelKey(String[] labelValues) {
    if (labelValues.length != labelNames.size()) {
      throw new IllegalArgumentException(
          "metric " + name + " has labels " + labelNames + " but got values " + Arrays.toString(labelValues));
    }
    for (String v : labelValues) {
      Objects.requireNonNull(v, "label value");
    }
    return List.of(labelValues);
  }

  void writeTo(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ');
    TextFormat.escapeHelp(help, out);
    out.append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type()).append('\n');
    List<Map.Entry<List<String>, C>> sorted = new ArrayList<>(children.entrySet());
    sorted.sort(Map.Entry.comparingByKey(LABEL_ORDER));
    for (Map.Entry<List<String>, C> e : sorted) {
      writeChild(e.getKey(), e.getValue(), out);
    }
  }

  abstract void writeChild(List<String> labelValues, C child, StringBuilder out);

  /** Writes {@code name{labels[,extraName="extraValue"]} value}. */
  void writeSample(
      String sampleName, List<String> labelValues, String extraName, String extraValue, String value,
      StringBuilder out) {
    out.append(sampleName);
    if (!labelValues.isEmpty() || extraName != null) {
      out.append('{');
      boolean first = true;
      for (int i = 0; i < labelValues.size(); i++) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(labelNames.get(i)).append("=\"");
        TextFormat.escapeLabelValue(labelValues.get(i), out);
        out.append('"');
      }
      if (extraName != null) {
        if (!first) {
          out.append(',');
        }
        out.append(extraName).append("=\"");
        TextFormat.escapeLabelValue(extraValue, out);
        out.append('"');
      }
      out.append('}');
    }
    out.append(' ').append(value).append('\n');
  }
}
