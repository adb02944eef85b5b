package io.raftring.bft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.util.List;

/**
 * One message between two generals in one round.
 *
 * <p>OM: {@code path} is the chain of relays the message claims, commander first, sender last ("0,2" = "2 says the
 * commander told it"); {@code signatures} is empty. SM: {@code path} lists the signers, commander first, and {@code
 * signatures} holds their Ed25519 signatures in the same order.
 */
public record BftMessage(
    @JsonProperty("round") int round,
    @JsonProperty("from") int from,
    @JsonProperty("to") int to,
    @JsonProperty("order") Order order,
    @JsonProperty("path") List<Integer> path,
    @JsonProperty("signatures") List<byte[]> signatures)
    implements CborSerializable {

  @JsonCreator
  public BftMessage {
    path = List.copyOf(path);
    signatures = List.copyOf(signatures);
  }

  public static BftMessage oral(int round, int from, int to, Order order, List<Integer> path) {
    return new BftMessage(round, from, to, order, path, List.of());
  }

  public static BftMessage signed(int round, int from, int to, SignedOrder signed) {
    return new BftMessage(round, from, to, signed.order(), signed.signers(), signed.signatures());
  }

  public SignedOrder signedOrder() {
    return new SignedOrder(order, path, signatures);
  }
}
