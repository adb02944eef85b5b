package io.raftring.bft;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An SM order with its chain of signatures: {@code v:0:j1:...:jk}. Signer {@code signers[i]} signs the run id, the
 * order, the signers up to and including itself and all earlier signatures, so neither the order nor any earlier link
 * can be changed without breaking a signature.
 */
public record SignedOrder(Order order, List<Integer> signers, List<byte[]> signatures) {

  public SignedOrder {
    signers = List.copyOf(signers);
    signatures = List.copyOf(signatures);
    if (signers.size() != signatures.size()) throw new IllegalArgumentException("one signature per signer");
  }

  /** The commander's signed order. */
  public static SignedOrder issue(long runId, Order order, int commander, PrivateKey key, SignatureScheme scheme) {
    return new SignedOrder(order, List.of(), List.of()).append(runId, commander, key, scheme);
  }

  /** This order with {@code signer}'s signature appended. */
  public SignedOrder append(long runId, int signer, PrivateKey key, SignatureScheme scheme) {
    List<Integer> ids = Paths.append(signers, signer);
    byte[] sig = scheme.sign(key, payload(runId, order, ids, signatures, ids.size() - 1));
    List<byte[]> sigs = new ArrayList<>(signatures);
    sigs.add(sig);
    return new SignedOrder(order, ids, sigs);
  }

  /** The same signatures over a different order: what a tampering traitor sends. */
  public SignedOrder withOrder(Order other) {
    return new SignedOrder(other, signers, signatures);
  }

  public int lastSigner() {
    return signers.get(signers.size() - 1);
  }

  /**
   * Checks every link against the signers' public keys. Returns why the chain is invalid, or empty if it is valid.
   */
  public Optional<String> verify(
      long runId, int commander, Map<Integer, PublicKey> directory, SignatureScheme scheme) {
    if (signers.isEmpty()) return Optional.of("no signatures");
    if (signers.get(0) != commander) return Optional.of("first signer " + signers.get(0) + " is not the commander");
    if (!Paths.distinct(signers)) return Optional.of("a general signed twice");
    for (int i = 0; i < signers.size(); i++) {
      PublicKey key = directory.get(signers.get(i));
      if (key == null) return Optional.of("unknown signer " + signers.get(i));
      if (!scheme.verify(key, payload(runId, order, signers, signatures, i), signatures.get(i))) {
        return Optional.of("bad signature of general " + signers.get(i));
      }
    }
    return Optional.empty();
  }

  /** The bytes signer {@code index} signs. */
  static byte[] payload(long runId, Order order, List<Integer> ids, List<byte[]> sigs, int index) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 68 * index);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeUTF("raftring-bft-sm-v1");
      out.writeLong(runId);
      out.writeUTF(order.name());
      out.writeInt(index + 1);
      for (int i = 0; i <= index; i++) out.writeInt(ids.get(i));
      for (int i = 0; i < index; i++) {
        out.writeInt(sigs.get(i).length);
        out.write(sigs.get(i));
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
