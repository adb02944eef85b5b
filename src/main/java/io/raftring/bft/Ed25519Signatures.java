package io.raftring.bft;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/** Ed25519 signatures from the JDK's own provider ({@code Signature.getInstance("Ed25519")}). */
public final class Ed25519Signatures implements SignatureScheme {
  public static final String ALGORITHM = "Ed25519";
  public static final Ed25519Signatures INSTANCE = new Ed25519Signatures();

  private Ed25519Signatures() {}

  @Override
  public byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  @Override
  public boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (InvalidKeyException | SignatureException e) {
      return false; // a malformed signature is an invalid one
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification failed", e);
    }
  }
}
