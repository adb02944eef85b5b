package io.raftring.cli;

import picocli.CommandLine.Option;

/** The compare-and-set condition of a put or delete: the key's current revision or current value. */
final class WriteCondition {

  @Option(names = "--prev-revision", paramLabel = "N",
      description = "only if the key's mod_revision is N (0: only if the key does not exist)")
  Long prevRevision;

  @Option(names = "--prev-value", paramLabel = "V", description = "only if the key's current value is V")
  String prevValue;

  static String[] queryOf(WriteCondition condition) {
    if (condition == null) {
      return new String[0];
    }
    return new String[] {
      "prev_revision", condition.prevRevision == null ? null : condition.prevRevision.toString(),
      "prev_value", condition.prevValue
    };
  }
}
