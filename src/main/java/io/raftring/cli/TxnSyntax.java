package io.raftring.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * The command line's short forms of a transaction, turned into {@code /v1/txn} JSON. A compare is written as etcdctl
 * writes one, {@code TARGET(KEY) OP VALUE}: {@code value(acct/a) = 100}, {@code mod("my key") < 42},
 * {@code version(k) != 0}, {@code exists(k) = false}; targets value, version, create (create_revision), mod
 * (mod_revision), exists; ops =, !=, &lt;, &gt;. A key or value with spaces or parentheses goes in double quotes
 * (\" and \\ escape inside). A put is {@code KEY=VALUE}, split at the first '='.
 */
final class TxnSyntax {

  private TxnSyntax() {}

  /** A compare as JSON; IllegalArgumentException saying what is wrong. */
  static ObjectNode compare(String text) {
    Cursor in = new Cursor(text);
    String target = in.word();
    in.expect('(');
    String key = in.keyOrValue(')');
    in.expect(')');
    String op = in.operator();
    String value = in.keyOrValue('\0');
    in.end();
    String jsonTarget = switch (target.toLowerCase(Locale.ROOT)) {
      case "value" -> "value";
      case "version" -> "version";
      case "create", "create_revision" -> "create_revision";
      case "mod", "mod_revision" -> "mod_revision";
      case "exists" -> "exists";
      default -> throw new IllegalArgumentException("unknown compare target '" + target
          + "': use value, version, create, mod or exists");
    };
    ObjectNode compare = KvClient.JSON.createObjectNode().put("key", key).put("target", jsonTarget).put("op", op);
    switch (jsonTarget) {
      case "value" -> compare.put("value", value);
      case "exists" -> {
        if (!value.equals("true") && !value.equals("false")) {
          throw new IllegalArgumentException("exists compares with true or false, not '" + value + "'");
        }
        compare.put("value", Boolean.parseBoolean(value));
      }
      default -> {
        if (!value.matches("\\d{1,18}")) {
          throw new IllegalArgumentException(jsonTarget + " compares with a whole number, not '" + value + "'");
        }
        compare.put("value", Long.parseLong(value));
      }
    }
    return compare;
  }

  /** {@code KEY=VALUE} as a put operation. */
  static ObjectNode put(String text) {
    int equals = text.indexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException("a put is KEY=VALUE, was '" + text + "'");
    }
    return operation("put", KvClient.JSON.createObjectNode().put("key", text.substring(0, equals))
        .put("value", text.substring(equals + 1)));
  }

  static ObjectNode keyOperation(String kind, String key) {
    return operation(kind, KvClient.JSON.createObjectNode().put("key", key));
  }

  static ObjectNode range(String prefix) {
    return operation("range", KvClient.JSON.createObjectNode().put("prefix", prefix));
  }

  private static ObjectNode operation(String kind, ObjectNode args) {
    ObjectNode op = KvClient.JSON.createObjectNode();
    op.set(kind, args);
    return op;
  }

  /** Reads the compare syntax left to right. */
  private static final class Cursor {
    private final String text;
    private int at;

    Cursor(String text) {
      this.text = text;
    }

    private void skipSpaces() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    String word() {
      skipSpaces();
      int start = at;
      while (at < text.length() && (Character.isLetter(text.charAt(at)) || text.charAt(at) == '_')) {
        at++;
      }
      if (start == at) {
        throw error("a target such as value or mod");
      }
      return text.substring(start, at);
    }

    void expect(char c) {
      skipSpaces();
      if (at >= text.length() || text.charAt(at) != c) {
        throw error("'" + c + "'");
      }
      at++;
    }

    String operator() {
      skipSpaces();
      for (String op : List.of("!=", "=", "<", ">")) {
        if (text.startsWith(op, at)) {
          at += op.length();
          return op;
        }
      }
      throw error("one of =, !=, <, >");
    }

    /** A quoted string, or everything up to {@code stop} (or the end) with surrounding spaces trimmed. */
    String keyOrValue(char stop) {
      skipSpaces();
      if (at < text.length() && text.charAt(at) == '"') {
        at++;
        StringBuilder sb = new StringBuilder();
        while (at < text.length() && text.charAt(at) != '"') {
          char c = text.charAt(at++);
          if (c == '\\' && at < text.length()) {
            c = text.charAt(at++);
          }
          sb.append(c);
        }
        if (at >= text.length()) {
          throw new IllegalArgumentException("unterminated quote in '" + text + "'");
        }
        at++;
        return sb.toString();
      }
      int start = at;
      while (at < text.length() && text.charAt(at) != stop) {
        at++;
      }
      String bare = text.substring(start, at).strip();
      if (bare.isEmpty()) {
        throw error(stop == ')' ? "a key" : "a value");
      }
      return bare;
    }

    void end() {
      skipSpaces();
      if (at != text.length()) {
        throw error("the end");
      }
    }

    private IllegalArgumentException error(String expected) {
      return new IllegalArgumentException("in compare '" + text + "' expected " + expected + " at position "
          + (at + 1) + "; write it like value(KEY) = VALUE or mod(KEY) < 42");
    }
  }
}
