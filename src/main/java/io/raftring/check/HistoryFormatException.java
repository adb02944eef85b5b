package io.raftring.check;

/** A history that cannot be read or paired; the message says where (source and line) and what is wrong. */
public final class HistoryFormatException extends RuntimeException {

  private final int lineNumber;

  public HistoryFormatException(String source, int lineNumber, String problem) {
    super(source + " line " + lineNumber + ": " + problem);
    this.lineNumber = lineNumber;
  }

  /** 1-based line number of the offending line. */
  public int lineNumber() {
    return lineNumber;
  }
}
