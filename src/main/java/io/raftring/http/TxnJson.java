package io.raftring.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftring.api.TxnStatus;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvLimits;
import io.raftring.txn.Compare;
import io.raftring.txn.OpResult;
import io.raftring.txn.TxnOp;
import io.raftring.txn.TxnOutcome;
import io.raftring.txn.TxnRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON of {@code /v1/txn}. A request:
 *
 * <pre>
 * {"compare":[{"key":"a","target":"value","op":"=","value":"100"}],
 *  "success":[{"put":{"key":"a","value":"90"}},{"delete":{"key":"c"}}],
 *  "failure":[{"get":{"key":"a"}},{"range":{"prefix":"{t}/","limit":10}}]}
 * </pre>
 *
 * Keys, prefixes and values are UTF-8 strings, or base64 in {@code key_base64}, {@code prefix_base64},
 * {@code value_base64}. A compare's target is {@code value}, {@code version}, {@code create_revision},
 * {@code mod_revision} or {@code exists}; its op {@code =}, {@code !=}, {@code <} or {@code >}; its {@code value} a
 * string (value), a number (revisions, version) or true/false (exists). Every unknown field is refused, so a typo
 * never quietly changes what a transaction does.
 */
final class TxnJson {

  private TxnJson() {}

  /** The transaction in {@code json} (a body {@link Json#readBounded} has read). */
  static TxnRequest parse(JsonNode json, KvLimits limits) {
    if (json == null || !json.isObject()) {
      throw RequestOptions.badRequest("the body must be a JSON object with compare, success and failure");
    }
    onlyFields(json, "transaction", Set.of("compare", "success", "failure"));
    List<Compare> compares = new ArrayList<>();
    for (JsonNode c : array(json, "compare")) {
      compares.add(compare(c, limits));
    }
    return new TxnRequest(compares, ops(json, "success", limits), ops(json, "failure", limits));
  }

  private static Compare compare(JsonNode c, KvLimits limits) {
    if (!c.isObject()) {
      throw RequestOptions.badRequest("each compare must be an object with key, target, op and value");
    }
    onlyFields(c, "compare", Set.of("key", "key_base64", "target", "op", "value", "value_base64"));
    String key = key(c, "key", limits);
    Compare.Target target = Compare.Target.parse(text(c, "target", "compare"));
    Compare.Operator op = Compare.Operator.parse(text(c, "op", "compare"));
    return switch (target) {
      case VALUE -> new Compare(key, target, op, bytes(c, "value", "compare", limits), 0);
      case EXISTS -> {
        JsonNode v = c.get("value");
        if (v == null || !v.isBoolean()) {
          throw RequestOptions.badRequest("compare of exists on '" + key + "' needs \"value\": true or false");
        }
        yield new Compare(key, target, op, null, v.booleanValue() ? 1 : 0);
      }
      default -> new Compare(key, target, op, null, number(c, key, target));
    };
  }

  private static long number(JsonNode c, String key, Compare.Target target) {
    JsonNode v = c.get("value");
    if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v != null && v.isTextual() && v.textValue().matches("\\d{1,18}")) {
      return Long.parseLong(v.textValue());
    }
    throw RequestOptions.badRequest("compare of " + target.label() + " on '" + key + "' needs a whole number value");
  }

  private static List<TxnOp> ops(JsonNode json, String branch, KvLimits limits) {
    List<TxnOp> ops = new ArrayList<>();
    for (JsonNode op : array(json, branch)) {
      if (!op.isObject() || op.size() != 1) {
        throw RequestOptions.badRequest("each " + branch + " operation is an object with one of put, delete, get,"
            + " range");
      }
      String kind = op.fieldNames().next();
      JsonNode args = op.get(kind);
      if (!args.isObject()) {
        throw RequestOptions.badRequest(branch + " " + kind + " takes an object");
      }
      ops.add(switch (kind) {
        case "put" -> {
          onlyFields(args, "put", Set.of("key", "key_base64", "value", "value_base64"));
          yield TxnOp.put(key(args, "key", limits), bytes(args, "value", "put", limits));
        }
        case "delete" -> {
          onlyFields(args, "delete", Set.of("key", "key_base64"));
          yield TxnOp.delete(key(args, "key", limits));
        }
        case "get" -> {
          onlyFields(args, "get", Set.of("key", "key_base64"));
          yield TxnOp.get(key(args, "key", limits));
        }
        case "range" -> {
          onlyFields(args, "range", Set.of("prefix", "prefix_base64", "limit"));
          JsonNode limit = args.get("limit");
          if (limit != null && !(limit.isIntegralNumber() && limit.canConvertToInt() && limit.intValue() > 0)) {
            throw RequestOptions.badRequest("range limit must be a whole number 1 or more");
          }
          yield TxnOp.range(prefix(args, limits), limit == null ? KvRoutes.DEFAULT_RANGE_LIMIT : limit.intValue());
        }
        default -> throw RequestOptions.badRequest("unknown operation '" + kind + "' in " + branch
            + "; use put, delete, get or range");
      });
    }
    return ops;
  }

  private static Iterable<JsonNode> array(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw RequestOptions.badRequest(field + " must be an array");
    }
    return value;
  }

  private static void onlyFields(JsonNode json, String what, Set<String> allowed) {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw RequestOptions.badRequest("unknown field '" + name + "' in " + what + "; it takes "
            + allowed.stream().sorted().toList());
      }
    }
  }

  private static String text(JsonNode json, String field, String what) {
    JsonNode v = json.get(field);
    if (v == null || !v.isTextual()) {
      throw RequestOptions.badRequest(what + " needs \"" + field + "\" as a string");
    }
    return v.textValue();
  }

  /** {@code field} as a UTF-8 string, or {@code field_base64}; exactly one of them. */
  private static byte[] raw(JsonNode json, String field, String what) {
    JsonNode plain = json.get(field);
    JsonNode encoded = json.get(field + "_base64");
    if ((plain == null) == (encoded == null)) {
      throw RequestOptions.badRequest(what + " needs exactly one of \"" + field + "\" and \"" + field + "_base64\"");
    }
    if (plain != null) {
      if (!plain.isTextual()) {
        throw RequestOptions.badRequest(what + " \"" + field + "\" must be a string (use " + field
            + "_base64 for bytes)");
      }
      return plain.textValue().getBytes(StandardCharsets.UTF_8);
    }
    if (!encoded.isTextual()) {
      throw RequestOptions.badRequest(what + " \"" + field + "_base64\" must be a base64 string");
    }
    try {
      return Base64.getDecoder().decode(encoded.textValue());
    } catch (IllegalArgumentException e) {
      throw RequestOptions.badRequest(what + " \"" + field + "_base64\" is not base64: " + e.getMessage());
    }
  }

  private static String key(JsonNode json, String field, KvLimits limits) {
    return limits.validateKey(raw(json, field, "a key"));
  }

  private static String prefix(JsonNode json, KvLimits limits) {
    byte[] prefix = raw(json, "prefix", "range");
    return prefix.length == 0 ? "" : limits.validateKey(prefix);
  }

  private static byte[] bytes(JsonNode json, String field, String what, KvLimits limits) {
    return limits.validateValue(raw(json, field, what));
  }

  // ---- answers

  static ObjectNode completed(TxnOutcome.Completed outcome) {
    ObjectNode body = Json.object();
    body.put("succeeded", outcome.succeeded());
    ArrayNode results = body.putArray("results");
    for (OpResult result : outcome.results()) {
      results.add(result(result));
    }
    body.put("revision", outcome.revision());
    body.put("group", outcome.group());
    body.put("two_phase", outcome.twoPhase());
    if (outcome.id().isPresent()) {
      body.put("txn_id", outcome.id().get().toString());
    } else {
      body.putNull("txn_id");
    }
    return body;
  }

  private static ObjectNode result(OpResult result) {
    ObjectNode wrapper = Json.object();
    if (result instanceof OpResult.PutResult put) {
      ObjectNode inner = wrapper.putObject("put");
      revision(inner, put.revision());
      prevKv(inner, put.previous());
    } else if (result instanceof OpResult.DeleteResult delete) {
      ObjectNode inner = wrapper.putObject("delete");
      revision(inner, delete.revision());
      inner.put("deleted", delete.deleted());
      prevKv(inner, delete.previous());
    } else if (result instanceof OpResult.GetResult get) {
      ObjectNode inner = wrapper.putObject("get");
      ArrayNode kvs = inner.putArray("kvs");
      get.keyValue().ifPresent(kv -> kvs.add(KvRoutes.keyValueJson(kv)));
      inner.put("count", kvs.size());
    } else if (result instanceof OpResult.RangeResult range) {
      ObjectNode inner = wrapper.putObject("range");
      ArrayNode kvs = inner.putArray("kvs");
      for (KeyValue kv : range.keyValues()) {
        kvs.add(KvRoutes.keyValueJson(kv));
      }
      inner.put("count", kvs.size());
      inner.put("more", range.more());
    }
    return wrapper;
  }

  /** A write in a group other than the answer's is applied just after the answer: its revision is not known yet. */
  private static void revision(ObjectNode inner, long revision) {
    if (revision > 0) {
      inner.put("revision", revision);
    } else {
      inner.putNull("revision");
    }
  }

  private static void prevKv(ObjectNode inner, Optional<KeyValue> previous) {
    if (previous.isPresent()) {
      inner.set("prev_kv", KvRoutes.keyValueJson(previous.get()));
    } else {
      inner.putNull("prev_kv");
    }
  }

  static ObjectNode status(TxnStatus status) {
    ObjectNode body = Json.object()
        .put("txn_id", status.txnId())
        .put("state", status.state())
        .put("succeeded", status.succeeded())
        .put("revision", status.revision());
    status.participants().forEach(body.putArray("participants")::add);
    body.put("message", status.message());
    return body;
  }
}
