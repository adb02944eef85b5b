package io.raftring.kv;

/**
 * Bytes that are not a well-formed encoding of a KV command, query or result (unknown format version or tag,
 * truncated, a length past the end, malformed UTF-8, trailing bytes). Messages say what was expected and where.
 */
public final class KvCodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public KvCodecException(String message) {
    super(message);
  }

  public KvCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
