package io.raftring.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a JSON-lines history (see {@link HistoryRecorder}) back into events and operations. Blank lines are skipped.
 */
public final class HistoryReader {

  private HistoryReader() {}

  /** @throws HistoryFormatException naming the file and line of the first malformed or unpairable line */
  public static History read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    }
  }

  /** @param source names the input in error messages */
  public static History read(Reader reader, String source) throws IOException {
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    List<HistoryEvent> events = new ArrayList<>();
    int[] lineNumbers = new int[64];
    int lineNumber = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        events.add(HistoryJson.fromLine(line));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new HistoryFormatException(source, lineNumber, e.getMessage());
      }
      if (events.size() > lineNumbers.length) {
        lineNumbers = Arrays.copyOf(lineNumbers, lineNumbers.length * 2);
      }
      lineNumbers[events.size() - 1] = lineNumber;
    }
    return History.of(events, Arrays.copyOf(lineNumbers, events.size()), source);
  }
}
