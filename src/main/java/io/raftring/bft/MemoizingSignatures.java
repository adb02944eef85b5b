package io.raftring.bft;

import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers signatures and verification outcomes of a delegate scheme. Exact for Ed25519, whose signatures are
 * deterministic (RFC 8032): same key and bytes, same signature. Meant for exhaustive checks that replay thousands of
 * runs with one fixed set of keys; unbounded, so keep one per batch of runs.
 */
public final class MemoizingSignatures implements SignatureScheme {
  private final SignatureScheme delegate;
  private final Map<ByteBuffer, byte[]> signatures = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, Boolean> verifications = new ConcurrentHashMap<>();

  public MemoizingSignatures(SignatureScheme delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte[] sign(PrivateKey key, byte[] data) {
    return signatures
        .computeIfAbsent(keyOf(key.getEncoded(), data, new byte[0]), k -> delegate.sign(key, data))
        .clone();
  }

  @Override
  public boolean verify(PublicKey key, byte[] data, byte[] signature) {
    return verifications.computeIfAbsent(
        keyOf(key.getEncoded(), data, signature), k -> delegate.verify(key, data, signature));
  }

  private static ByteBuffer keyOf(byte[] a, byte[] b, byte[] c) {
    ByteBuffer buf = ByteBuffer.allocate(12 + a.length + b.length + c.length);
    buf.putInt(a.length).put(a).putInt(b.length).put(b).putInt(c.length).put(c);
    buf.flip();
    return buf;
  }
}
