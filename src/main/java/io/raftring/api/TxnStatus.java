package io.raftring.api;

import java.util.List;

/**
 * What {@code GET /v1/txn/{id}} answers: the transaction's state ({@code pending}, {@code committed},
 * {@code aborted}, or {@code unknown} when its record group has no record: not applied yet, or forgotten), which
 * branch ran, the revision its record group applied it at, its participant groups, and a sentence for people.
 */
public record TxnStatus(String txnId, String state, boolean succeeded, long revision, List<String> participants,
    String message) {

  public TxnStatus {
    participants = List.copyOf(participants);
  }
}
