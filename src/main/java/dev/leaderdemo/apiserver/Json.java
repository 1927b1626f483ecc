package dev.leaderdemo.apiserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON trees read and written with Jackson's streaming parser and generator alone. Jackson's
 * ObjectMapper would do the same in one call, but it loads some 400 classes more into a process
 * that only ever handles a few small objects.
 */
public final class Json {

  private Json() {}

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /**
   * @throws IOException when {@code text} is not one JSON value
   */
  public static JsonNode read(String text) throws IOException {
    return read(text, null);
  }

  /**
   * Reads {@code text} leaving out every member named {@code skipped}, at any depth, without
   * building it: how a watch drops the managedFields that make up most of an object it never writes
   * back.
   *
   * @throws IOException when {@code text} is not one JSON value
   */
  public static JsonNode read(String text, String skipped) throws IOException {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new IOException("no JSON value");
      }
      JsonNode value = value(parser, first, skipped);
      if (parser.nextToken() != null) {
        throw new IOException("more than one JSON value");
      }
      return value;
    }
  }

  /**
   * A parser of the JSON values that follow one another in {@code in}, as a watch sends them. It
   * reads characters, as {@link #read(String)} does: one parser (and one set of classes to load at
   * start) for lists and watches.
   */
  static JsonParser values(InputStream in) throws IOException {
    return FACTORY.createParser(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /**
   * The next value of {@code parser}, leaving out every member named {@code skipped}, or null at
   * the end of the stream. It reads no further than the value's end, so a watch event is handed on
   * as soon as its last byte has come.
   */
  static JsonNode next(JsonParser parser, String skipped) throws IOException {
    JsonToken first = parser.nextToken();
    return first == null ? null : value(parser, first, skipped);
  }

  public static String write(JsonNode value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      write(generator, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The fields of an object's metadata that a program sets when it creates one. */
  public static ObjectNode metadata(ObjectMeta meta) {
    ObjectNode json = object();
    putIfSet(json, "name", meta.getName());
    putIfSet(json, "namespace", meta.getNamespace());
    putMap(json, "labels", meta.getLabels());
    putMap(json, "annotations", meta.getAnnotations());
    if (meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty()) {
      ArrayNode owners = json.putArray("ownerReferences");
      for (OwnerReference owner : meta.getOwnerReferences()) {
        ObjectNode o = owners.addObject();
        putIfSet(o, "apiVersion", owner.getApiVersion());
        putIfSet(o, "kind", owner.getKind());
        putIfSet(o, "name", owner.getName());
        putIfSet(o, "uid", owner.getUid());
        if (owner.getController() != null) {
          o.put("controller", owner.getController());
        }
        if (owner.getBlockOwnerDeletion() != null) {
          o.put("blockOwnerDeletion", owner.getBlockOwnerDeletion());
        }
      }
    }
    return json;
  }

  public static void putIfSet(ObjectNode json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  private static void putMap(ObjectNode json, String field, Map<String, String> map) {
    if (map != null && !map.isEmpty()) {
      ObjectNode entries = json.putObject(field);
      map.forEach(entries::put);
    }
  }

  private static JsonNode value(JsonParser parser, JsonToken token, String skipped)
      throws IOException {
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = parser.currentName();
          JsonToken valueToken = parser.nextToken();
          if (name.equals(skipped)) {
            parser.skipChildren();
          } else {
            object.set(name, value(parser, valueToken, skipped));
          }
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(value(parser, t, skipped));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(parser.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected " + token + " in JSON");
    }
  }

  private static void write(JsonGenerator out, JsonNode value) throws IOException {
    if (value.isObject()) {
      out.writeStartObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.writeFieldName(field.getKey());
        write(out, field.getValue());
      }
      out.writeEndObject();
    } else if (value.isArray()) {
      out.writeStartArray();
      for (JsonNode element : value) {
        write(out, element);
      }
      out.writeEndArray();
    } else if (value.isTextual()) {
      out.writeString(value.asText());
    } else if (value.isIntegralNumber()) {
      out.writeNumber(value.longValue());
    } else if (value.isNumber()) {
      out.writeNumber(value.doubleValue());
    } else if (value.isBoolean()) {
      out.writeBoolean(value.booleanValue());
    } else {
      out.writeNull();
    }
  }
}
