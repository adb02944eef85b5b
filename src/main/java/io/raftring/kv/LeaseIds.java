package io.raftring.kv;

/**
 * Lease ids: positive 63-bit numbers, shown as 16 hex digits (as etcd shows them). A lease lives in one group, the
 * one its id names ({@link #groupIndex}), so any node finds it from the id alone.
 */
public final class LeaseIds {

  private LeaseIds() {}

  public static String format(long id) {
    return String.format("%016x", id);
  }

  /** Parses an id given by a client: hex digits, positive; anything else is a BAD_REQUEST. */
  public static long parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 16) {
      throw KvValidationException.badRequest("a lease id is 1 to 16 hex digits, was '" + text + "'");
    }
    long id;
    try {
      id = Long.parseUnsignedLong(text, 16);
    } catch (NumberFormatException e) {
      throw KvValidationException.badRequest("a lease id is 1 to 16 hex digits, was '" + text + "'");
    }
    if (id <= 0) {
      throw KvValidationException.badRequest("a lease id is positive and below 2^63, was '" + text + "'");
    }
    return id;
  }

  /** The index, among {@code groupCount} groups, of the group that holds lease {@code id}. */
  public static int groupIndex(long id, int groupCount) {
    return (int) Math.floorMod(id, (long) groupCount);
  }
}
