package io.raftring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftring range}: lists keys by prefix or between two keys, following pages. */
@Command(
    name = "range",
    mixinStandardHelpOptions = true,
    description = {
      "List keys and values (GET /v1/kv?prefix=...), one 'KEY<TAB>VALUE' line per key, in key order, following"
          + " pages until --limit keys or the end.",
      "Values print as UTF-8 with \\n, \\t, \\r, \\\\ and other control bytes escaped; bytes that are not UTF-8 print"
          + " as base64 prefixed with 'base64:'. Exit 0 (also when empty), 2 bad usage, 3 server error."
    })
final class RangeCommand extends ClientCommand {

  static final class Bounds {
    @Option(names = "--prefix", paramLabel = "P", description = "keys starting with P (default: all keys)")
    String prefix;

    @ArgGroup(exclusive = false)
    Between between;
  }

  static final class Between {
    @Option(names = "--from", paramLabel = "A", required = true, description = "first key (inclusive)")
    String from;

    @Option(names = "--to", paramLabel = "B", description = "end key (exclusive; default: no end)")
    String to;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Bounds bounds;

  @Option(names = "--limit", paramLabel = "N", description = "print at most N keys (default: all)")
  Integer limit;

  @Option(names = {"-c", "--consistency"}, paramLabel = "LEVEL",
      description = "linearizable (default on the server), lease or stale")
  Consistency consistency;

  @Option(names = "--degrade", description = "if a strong read cannot be served, accept a stale answer (degrade=stale)")
  boolean degrade;

  @Option(names = "--keys-only", description = "print only the keys")
  boolean keysOnly;

  @Option(names = "--json", description = "print each page's JSON answer, one per line")
  boolean json;

  @Override
  int run(KvClient client) throws KvClient.Failure {
    if (limit != null && limit < 1) {
      throw new KvClient.Failure(RaftRingMain.USAGE, "--limit must be at least 1");
    }
    String pageToken = null;
    int printed = 0;
    while (true) {
      String prefix = bounds == null ? "" : bounds.prefix;
      Between between = bounds == null ? null : bounds.between;
      String query = KvClient.query(
          "prefix", between == null ? prefix : null,
          "from", between == null ? null : between.from,
          "to", between == null ? null : between.to,
          "limit", limit == null ? null : Integer.toString(limit - printed),
          "page_token", pageToken,
          "consistency", consistency == null ? null : consistency.name(),
          "degrade", degrade ? "stale" : null);
      KvClient.Response response = client.expectSuccess("GET", "/v1/kv" + query, null, KvClient.APPLICATION_JSON);
      JsonNode page = response.json();
      if (page == null || !page.has("kvs")) {
        throw new KvClient.Failure(RaftRingMain.UNAVAILABLE, "unexpected answer to a range: " + response.text());
      }
      if (json) {
        printLine(page.toString());
      }
      if (options.verbose) {
        main.stderr.println("page of " + page.get("kvs").size() + " keys at revision " + page.path("revision").asText("?"));
      }
      for (JsonNode kv : page.get("kvs")) {
        if (limit != null && printed >= limit) {
          break;
        }
        printed++;
        if (json) {
          continue;
        }
        String line = kv.path("key").asText();
        if (!keysOnly) {
          line += "\t" + printable(Base64.getDecoder().decode(kv.path("value").asText("")));
        }
        main.stdout.println(line);
      }
      pageToken = page.hasNonNull("next_page_token") ? page.get("next_page_token").asText() : null;
      boolean more = page.path("more").asBoolean(pageToken != null);
      if (!more || pageToken == null || pageToken.isEmpty() || (limit != null && printed >= limit)) {
        return RaftRingMain.OK;
      }
    }
  }

  /** A value for a one-line listing: UTF-8 with control characters escaped, or base64 when it is not UTF-8. */
  static String printable(byte[] value) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(value);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
