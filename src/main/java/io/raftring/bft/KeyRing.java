package io.raftring.bft;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/** Ed25519 key pairs, one per general, and the helpers to pass public keys around as bytes. */
public final class KeyRing {
  private final List<KeyPair> pairs;

  private KeyRing(List<KeyPair> pairs) {
    this.pairs = List.copyOf(pairs);
  }

  /** A fresh Ed25519 key pair for each of {@code n} generals. */
  public static KeyRing generate(int n) {
    List<KeyPair> pairs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) pairs.add(newKeyPair());
    return new KeyRing(pairs);
  }

  public int size() {
    return pairs.size();
  }

  public KeyPair pairOf(int general) {
    return pairs.get(general);
  }

  public static KeyPair newKeyPair() {
    try {
      return KeyPairGenerator.getInstance(Ed25519Signatures.ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  public static byte[] encode(PublicKey key) {
    return key.getEncoded();
  }

  public static PublicKey decodePublicKey(byte[] x509) {
    try {
      return KeyFactory.getInstance(Ed25519Signatures.ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }
}
