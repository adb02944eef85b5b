package io.raftring.bft;

import java.security.PrivateKey;
import java.security.PublicKey;

/** Signing and verifying bytes. {@link Ed25519Signatures} is the real one. */
public interface SignatureScheme {
  byte[] sign(PrivateKey key, byte[] data);

  boolean verify(PublicKey key, byte[] data, byte[] signature);
}
