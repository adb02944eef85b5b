package io.raftring.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load tool's reader of streamed answers: lines come out whole however the bytes are cut. */
class ChunkedLinesTest {

  private static final String ANSWER = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
      + "Transfer-Encoding: chunked\r\n\r\n"
      + "d\r\n{\"type\":\"a\"}\n\r\n"
      + "11\r\n{\"type\":\"b\"}\n{\"ty\r\n"
      + "9;ext=1\r\npe\":\"c\"}\n\r\n"
      + "0\r\n\r\n";

  @Test
  void linesComeOutWholeWhateverTheReadSizes() {
    byte[] bytes = ANSWER.getBytes(StandardCharsets.ISO_8859_1);
    for (int piece = 1; piece <= bytes.length; piece++) {
      List<String> lines = new ArrayList<>();
      ChunkedLines reader = new ChunkedLines(lines::add);
      for (int at = 0; at < bytes.length; at += piece) {
        reader.feed(bytes, at, Math.min(piece, bytes.length - at));
      }
      assertThat(lines).as("read %d bytes at a time", piece)
          .containsExactly("{\"type\":\"a\"}", "{\"type\":\"b\"}", "{\"type\":\"c\"}");
      assertThat(reader.status()).isEqualTo(200);
      assertThat(reader.done()).isTrue();
      assertThat(reader.problem()).isNull();
    }
  }

  @Test
  void anAnswerThatIsNotChunkedEndsWithTheProblemNamed() {
    byte[] bytes = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\n{}"
        .getBytes(StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>();
    ChunkedLines reader = new ChunkedLines(lines::add);
    reader.feed(bytes, 0, bytes.length);
    reader.feed("\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, 2);

    assertThat(reader.status()).isEqualTo(503);
    assertThat(reader.done()).isTrue();
    assertThat(reader.problem()).startsWith("not a chunk size");
    assertThat(lines).isEmpty();
  }

  @Test
  void aGarbledStatusLineIsAProblem() {
    byte[] bytes = "SSH-2.0\r\n".getBytes(StandardCharsets.ISO_8859_1);
    ChunkedLines reader = new ChunkedLines(line -> { });
    reader.feed(bytes, 0, bytes.length);

    assertThat(reader.done()).isTrue();
    assertThat(reader.problem()).contains("not an HTTP status line");
  }
}
