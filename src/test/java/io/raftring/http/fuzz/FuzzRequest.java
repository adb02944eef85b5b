package io.raftring.http.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One generated request, kept as parts so a failure can say what was sent, rendered to the exact bytes sent.
 *
 * @param headLines header lines as sent, each without its CRLF (may be malformed on purpose)
 * @param corruptAt if non-negative, the byte of the whole request overwritten with {@code corruptWith}
 */
record FuzzRequest(String method, String target, String version, List<String> headLines, byte[] body, int corruptAt,
    byte corruptWith) {

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String requestLine = version.isEmpty() ? method + " " + target : method + " " + target + " " + version;
    out.writeBytes(requestLine.getBytes(StandardCharsets.UTF_8));
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    for (String line : headLines) {
      out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    byte[] bytes = out.toByteArray();
    if (corruptAt >= 0 && bytes.length > 0) {
      bytes[corruptAt % bytes.length] = corruptWith;
    }
    return bytes;
  }

  /**
   * Whether the bytes hold the blank line that ends a request head. A corrupted byte can remove it: the request then
   * never ends, and the server rightly closes the connection without an answer when the client stops sending (as
   * nginx and others do), since it cannot know what was meant.
   */
  boolean headEnds() {
    return new String(bytes(), StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
  }

  /** Whether the request, if the server took it as written, could change something. */
  boolean mayMutate() {
    return !method.equals("GET") && !method.equals("HEAD");
  }

  boolean isHead() {
    return method.equals("HEAD");
  }

  /** The request as a Java string literal of its bytes, for failure messages and replays by hand. */
  String describe() {
    byte[] bytes = bytes();
    StringBuilder sb = new StringBuilder();
    int shown = Math.min(bytes.length, 1500);
    for (int i = 0; i < shown; i++) {
      int b = bytes[i] & 0xFF;
      if (b == '\r') {
        sb.append("\\r");
      } else if (b == '\n') {
        sb.append("\\n");
      } else if (b < 0x20 || b >= 0x7F) {
        sb.append(String.format(Locale.ROOT, "\\x%02x", b));
      } else {
        sb.append((char) b);
      }
    }
    return sb + (bytes.length > shown ? "... (" + bytes.length + " bytes)" : "");
  }
}
