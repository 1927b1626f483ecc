package dev.leaderdemo.reconciler;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Why a reconcile failed, in words for `kubectl describe`: which object and the API server's reason
 * first, without URLs or stack traces, and with long names and values shortened so that they never
 * push the reason out.
 */
final class FailureMessage {

  static final int MAX_LENGTH = 1024;
  private static final int MAX_VALUE_LENGTH = 40;
  private static final Pattern LONG_QUOTED =
      Pattern.compile("\"([^\"]{" + MAX_VALUE_LENGTH + "})[^\"]{4,}\"");
  private static final Pattern URL = Pattern.compile("https?://\\S+");

  private FailureMessage() {}

  static String of(Throwable thrown) {
    Throwable error = unwrapped(thrown);
    String message;
    if (error instanceof AggregatedOperatorException aggregated
        && !aggregated.getAggregatedExceptions().isEmpty()) {
      message =
          aggregated.getAggregatedExceptions().entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .map(e -> describe(e.getKey(), e.getValue()))
              .collect(Collectors.joining("; "));
    } else {
      message = describe(null, error);
    }
    return message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH - 3) + "..." : message;
  }

  /**
   * Without the OperatorException that JOSDK's Micrometer metrics put around whatever a reconcile
   * throws: a wrapper that adds nothing (its message is its cause's) would hide the cause's words.
   */
  private static Throwable unwrapped(Throwable error) {
    Throwable t = error;
    while (t instanceof OperatorException
        && t.getCause() != null
        && java.util.Objects.equals(t.getMessage(), t.getCause().toString())) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(String dependent, Throwable error) {
    KubernetesClientException refusal = find(error, KubernetesClientException.class);
    if (refusal != null && refusal.getStatus() != null && refusal.getCode() > 0) {
      return refused(dependent, refusal.getStatus());
    }
    Throwable cause = innermostWithMessage(error);
    String what = dependent == null ? "" : "the " + dependent + ": ";
    if (refusal != null) {
      return what + "could not reach the API server: " + clean(cause.getMessage());
    }
    return what
        + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + clean(cause.getMessage()));
  }

  private static String refused(String dependent, Status status) {
    StatusDetails details = status.getDetails();
    String kind =
        details != null && details.getKind() != null ? capitalize(details.getKind()) : dependent;
    String name =
        details != null && details.getName() != null ? " " + shorten(details.getName()) : "";
    String reason = status.getReason() == null ? "" : " " + status.getReason();
    List<StatusCause> causes =
        details == null || details.getCauses() == null ? List.of() : details.getCauses();
    String why =
        causes.isEmpty()
            ? clean(status.getMessage())
            : causes.stream()
                .map(c -> (c.getField() == null ? "" : c.getField() + ": ") + clean(c.getMessage()))
                .collect(Collectors.joining("; "));
    return (kind == null ? "an object" : kind)
        + name
        + " was refused ("
        + status.getCode()
        + reason
        + "): "
        + why;
  }

  /** First line only, URLs out, long quoted values cut. */
  static String clean(String text) {
    if (text == null) {
      return "no message";
    }
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    line = URL.matcher(line).replaceAll("the API server");
    Matcher quoted = LONG_QUOTED.matcher(line);
    return quoted.replaceAll(m -> Matcher.quoteReplacement("\"" + m.group(1) + "...\""));
  }

  private static String shorten(String name) {
    return name.length() > MAX_VALUE_LENGTH + 3
        ? name.substring(0, MAX_VALUE_LENGTH) + "..."
        : name;
  }

  private static String capitalize(String kind) {
    return kind.isEmpty() ? kind : Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
  }

  private static Throwable innermostWithMessage(Throwable error) {
    Throwable found = error;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        found = t;
      }
    }
    return found;
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
