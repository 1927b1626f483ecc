package dev.leaderdemo.process;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of a program's environment, the same rules for the operator and the demo app: a blank
 * value counts as unset, and a value that is set but does not fit is refused with the variable's
 * name and what it must be, never read as a default.
 */
public final class Environment {

  private final Map<String, String> variables;

  public Environment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** The first of the variables that is set, trimmed. */
  public Optional<String> first(String... names) {
    for (String name : names) {
      String value = variables.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  public Optional<String> string(String name) {
    return first(name);
  }

  public String string(String name, String fallback) {
    return first(name).orElse(fallback);
  }

  /** Only {@code true} or {@code false}, in any case. */
  public boolean bool(String name, boolean fallback) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    String v = raw.get();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw refused(name, "true or false", v);
    }
    return Boolean.parseBoolean(v);
  }

  public int integer(String name, int fallback, int min, int max) {
    return string(name)
        .map(v -> whole(name, v, min, max, "a whole number from " + min + " to " + max))
        .orElse(fallback);
  }

  /** 0 asks the system for a free port. */
  public int port(String name, int fallback) {
    return string(name)
        .map(v -> whole(name, v, 0, 65535, "a port number from 0 to 65535"))
        .orElse(fallback);
  }

  /** Whole seconds, at least one. */
  public Duration seconds(String name, Duration fallback) {
    return string(name)
        .map(
            v ->
                Duration.ofSeconds(
                    whole(name, v, 1, Integer.MAX_VALUE, "a whole number of seconds, at least 1")))
        .orElse(fallback);
  }

  /**
   * A positive duration: {@code 15} or {@code 15s} (seconds, fractions allowed) or {@code 1500ms}.
   */
  public Duration duration(String name, Duration fallback) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    String v = raw.get();
    Duration d;
    try {
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else {
        double seconds = Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
        if (!Double.isFinite(seconds) || Math.abs(seconds) > Integer.MAX_VALUE) {
          throw new NumberFormatException();
        }
        d = Duration.ofMillis(Math.round(seconds * 1000));
      }
    } catch (NumberFormatException e) {
      throw refused(name, "a duration such as 15, 15s or 1500ms", v);
    }
    if (d.isNegative() || d.isZero()) {
      throw refused(name, "a positive duration", v);
    }
    return d;
  }

  private static int whole(String name, String value, int min, int max, String rule) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // refused below, with the rule
    }
    throw refused(name, rule, value);
  }

  private static IllegalArgumentException refused(String name, String rule, String value) {
    return new IllegalArgumentException(name + " must be " + rule + ", got '" + value + "'");
  }
}
