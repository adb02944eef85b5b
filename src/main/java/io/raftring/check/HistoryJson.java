package io.raftring.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one place that knows the line format:
 * {@code {"process":0,"type":"ok","f":"cas","key":"k","value":["old","new"],"time":123}}, plus
 * {@code "error":"503 NO_QUORUM"} on a fail (every fail but a cas refused on its condition) and, optionally, on an
 * info. multi-jvm-tests/README.md documents it.
 */
final class HistoryJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HistoryJson() {}

  static String toLine(HistoryEvent event) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("process", event.process());
    node.put("type", event.type().jsonName());
    node.put("f", event.f().jsonName());
    node.put("key", event.key());
    if (event.f() == OpKind.CAS) {
      ArrayNode pair = node.putArray("value");
      pair.add(event.expected());
      pair.add(event.value());
    } else {
      node.put("value", event.value());
    }
    if (event.error() != null) {
      node.put("error", event.error());
    }
    node.put("time", event.timeNanos());
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen: a tree of strings and numbers always serializes", e);
    }
  }

  /** @throws IllegalArgumentException saying what is wrong with the line */
  static HistoryEvent fromLine(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    int process = intField(node, "process");
    EventType type = EventType.fromJsonName(textField(node, "type"));
    OpKind f = OpKind.fromJsonName(textField(node, "f"));
    String key = textField(node, "key");
    long time = longField(node, "time");
    String error = stringOrNull(node.get("error"), "\"error\"");
    JsonNode value = node.get("value");
    if (f == OpKind.CAS) {
      if (value == null || value.isNull()) {
        if (type == EventType.INVOKE || type == EventType.OK) {
          throw new IllegalArgumentException("a cas " + type.jsonName() + " needs \"value\":[expected,new]");
        }
        return new HistoryEvent(process, type, f, key, null, null, error, time);
      }
      if (!value.isArray() || value.size() != 2) {
        throw new IllegalArgumentException("a cas value must be [expected,new], got " + value);
      }
      return new HistoryEvent(process, type, f, key, stringOrNull(value.get(0), "cas expected"),
          stringOrNull(value.get(1), "cas new value"), error, time);
    }
    return new HistoryEvent(process, type, f, key, null, stringOrNull(value, "value"), error, time);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull()) {
      throw new IllegalArgumentException("missing \"" + field + "\"");
    }
    return child;
  }

  private static String textField(JsonNode node, String field) {
    JsonNode child = required(node, field);
    if (!child.isTextual()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string, got " + child);
    }
    return child.textValue();
  }

  private static int intField(JsonNode node, String field) {
    JsonNode child = required(node, field);
    if (!child.isIntegralNumber() || !child.canConvertToInt()) {
      throw new IllegalArgumentException("\"" + field + "\" must be an int, got " + child);
    }
    return child.intValue();
  }

  private static long longField(JsonNode node, String field) {
    JsonNode child = required(node, field);
    if (!child.isIntegralNumber() || !child.canConvertToLong()) {
      throw new IllegalArgumentException("\"" + field + "\" must be an integer (nanoseconds), got " + child);
    }
    return child.longValue();
  }

  private static String stringOrNull(JsonNode value, String what) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(what + " must be a string or null, got " + value);
    }
    return value.textValue();
  }
}
