package dev.leaderdemo.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readers for the parts of a LeaderDemo that users write, which never throw. Jackson throwing
 * inside an informer stops the informer, and JOSDK then stops the whole operator: one object would
 * stop every LeaderDemo.
 */
final class TolerantReaders {

  private static final Logger log = LoggerFactory.getLogger(TolerantReaders.class);

  private TolerantReaders() {}

  /** Reads a spec, or an {@link UnreadableSpec} that says which field broke which rule. */
  static final class SpecReader extends JsonDeserializer<LeaderDemoSpec> {
    @Override
    public LeaderDemoSpec deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode tree = context.readTree(parser);
      return read(
          context, tree, LeaderDemoSpec.class, problem -> new UnreadableSpec(tree, problem));
    }
  }

  /** Reads a status, or none: the operator writes a new one anyway. */
  static final class StatusReader extends JsonDeserializer<LeaderDemoStatus> {
    @Override
    public LeaderDemoStatus deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      return read(
          context,
          context.readTree(parser),
          LeaderDemoStatus.class,
          problem -> {
            log.warn("Ignoring a status that cannot be read ({}); it will be rewritten", problem);
            return null;
          });
    }
  }

  private static <T> T read(
      DeserializationContext context, JsonNode tree, Class<T> type, Function<String, T> unreadable)
      throws IOException {
    try {
      return context.readTreeAsValue(tree, type);
    } catch (JacksonException | IllegalArgumentException e) {
      return unreadable.apply(describe(type == LeaderDemoSpec.class ? "spec" : "status", e));
    }
  }

  /** One line, naming the field: no parser locations, no class names beyond the expected type. */
  static String describe(String root, Exception error) {
    String path = root;
    if (error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      path =
          root
              + mapping.getPath().stream()
                  .map(
                      r ->
                          r.getFieldName() != null
                              ? "." + r.getFieldName()
                              : "[" + r.getIndex() + "]")
                  .collect(Collectors.joining());
    }
    String problem;
    if (error instanceof InvalidFormatException invalid) {
      problem = invalidValue(invalid.getValue(), invalid.getTargetType());
    } else if (error instanceof MismatchedInputException mismatched
        && mismatched.getTargetType() != null) {
      problem = "expected " + article(mismatched.getTargetType());
    } else if (error instanceof JacksonException jackson) {
      problem = jackson.getOriginalMessage();
    } else {
      problem = error.getMessage();
    }
    return path + ": " + firstLine(problem);
  }

  private static String invalidValue(Object value, Class<?> type) {
    if ("[".equals(value) || "{".equals(value)) {
      return "expected " + article(type) + ", not " + ("[".equals(value) ? "a list" : "an object");
    }
    if (article(type).equals("an integer")
        && value instanceof String text
        && text.matches("-?[0-9]+")) {
      return text
          + " is out of range of a 32-bit integer ("
          + Integer.MIN_VALUE
          + " to "
          + Integer.MAX_VALUE
          + ")";
    }
    return quote(value) + " is not " + article(type);
  }

  private static String article(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean (true or false)";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.getName().startsWith("java.util")) {
      return "a list or map";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "cannot be read";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
