package io.raftring.watch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads one streamed HTTP/1.1 answer as it arrives, in pieces of any size: the head (its status kept), then the
 * chunked body, handing each complete line of the body to a consumer. Enough for a watch stream of newline-delimited
 * JSON without a client library's cost per line; not a general HTTP parser (no trailers, no Content-Length bodies).
 */
final class ChunkedLines {

  private enum State { HEAD, SIZE, DATA, DATA_END, DONE }

  private final Consumer<String> lines;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private State state = State.HEAD;
  private long chunkLeft;
  private int status = -1;
  private String problem;

  ChunkedLines(Consumer<String> lines) {
    this.lines = lines;
  }

  /** The answer's status, or -1 before its head arrived. */
  int status() {
    return status;
  }

  /** Why the answer could not be read, or null. */
  String problem() {
    return problem;
  }

  /** True once the last chunk came, or the answer could not be read. */
  boolean done() {
    return state == State.DONE;
  }

  void feed(byte[] bytes, int offset, int length) {
    int at = offset;
    int end = offset + length;
    while (at < end && state != State.DONE) {
      switch (state) {
        case HEAD, SIZE, DATA_END -> {
          byte b = bytes[at++];
          pending.write(b);
          if (b == '\n') {
            headerOrSizeLine();
          }
        }
        case DATA -> {
          int take = (int) Math.min(chunkLeft, end - at);
          for (int i = at; i < at + take; i++) {
            if (bytes[i] == '\n') {
              lines.accept(line.toString(StandardCharsets.UTF_8));
              line.reset();
            } else {
              line.write(bytes[i]);
            }
          }
          at += take;
          chunkLeft -= take;
          if (chunkLeft == 0) {
            state = State.DATA_END;
          }
        }
        case DONE -> { }
      }
    }
  }

  private void headerOrSizeLine() {
    String text = pending.toString(StandardCharsets.ISO_8859_1).trim();
    pending.reset();
    switch (state) {
      case HEAD -> {
        if (status < 0) {
          String[] parts = text.split(" ", 3);
          status = parts.length > 1 && parts[0].startsWith("HTTP/1.") ? parseInt(parts[1]) : -1;
          if (status < 0) {
            fail("not an HTTP status line: " + text);
          }
        } else if (text.isEmpty()) {
          state = State.SIZE;
        }
      }
      case SIZE -> {
        int extension = text.indexOf(';');
        try {
          chunkLeft = Long.parseLong(extension < 0 ? text : text.substring(0, extension), 16);
        } catch (NumberFormatException e) {
          fail("not a chunk size: " + text);
          return;
        }
        state = chunkLeft == 0 ? State.DONE : State.DATA;
      }
      case DATA_END -> {
        if (!text.isEmpty()) {
          fail("a chunk did not end with CRLF");
          return;
        }
        state = State.SIZE;
      }
      default -> { }
    }
  }

  private void fail(String why) {
    problem = why;
    state = State.DONE;
  }

  private static int parseInt(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
