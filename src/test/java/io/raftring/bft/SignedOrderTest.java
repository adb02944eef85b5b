package io.raftring.bft;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signature chains with real Ed25519 keys. */
class SignedOrderTest {
  private static final long RUN = 7L;
  private static final SignatureScheme ED = Ed25519Signatures.INSTANCE;
  private static KeyRing keys;
  private static Map<Integer, PublicKey> directory;

  @BeforeAll
  static void keys() {
    keys = KeyRing.generate(4);
    directory = new HashMap<>();
    for (int i = 0; i < 4; i++) directory.put(i, keys.pairOf(i).getPublic());
  }

  private static SignedOrder chain(Order order, int... signers) {
    SignedOrder s = SignedOrder.issue(RUN, order, signers[0], keys.pairOf(signers[0]).getPrivate(), ED);
    for (int i = 1; i < signers.length; i++) s = s.append(RUN, signers[i], keys.pairOf(signers[i]).getPrivate(), ED);
    return s;
  }

  @Test
  void aChainSignedByCommanderAndRelaysVerifies() {
    SignedOrder s = chain(Order.ATTACK, 0, 2, 1);
    assertThat(s.signers()).containsExactly(0, 2, 1);
    assertThat(s.verify(RUN, 0, directory, ED)).isEmpty();
  }

  @Test
  void changingTheOrderBreaksEverySignature() {
    SignedOrder tampered = chain(Order.ATTACK, 0, 2).withOrder(Order.RETREAT);
    assertThat(tampered.verify(RUN, 0, directory, ED)).contains("bad signature of general 0");
  }

  @Test
  void aTamperedOrderCountersignedByTheTraitorIsStillDetected() {
    SignedOrder relayed =
        chain(Order.ATTACK, 0).withOrder(Order.RETREAT).append(RUN, 2, keys.pairOf(2).getPrivate(), ED);
    assertThat(relayed.verify(RUN, 0, directory, ED)).contains("bad signature of general 0");
  }

  @Test
  void aCommanderSignatureMadeWithAnotherKeyIsAForgery() {
    SignedOrder forged =
        new SignedOrder(Order.ATTACK, List.of(), List.of())
            .append(RUN, 0, keys.pairOf(2).getPrivate(), ED)
            .append(RUN, 2, keys.pairOf(2).getPrivate(), ED);
    assertThat(forged.verify(RUN, 0, directory, ED)).contains("bad signature of general 0");
  }

  @Test
  void aChainMustStartAtTheCommanderAndNotRepeatSigners() {
    assertThat(chain(Order.ATTACK, 1, 2).verify(RUN, 0, directory, ED)).contains("first signer 1 is not the commander");
    assertThat(chain(Order.ATTACK, 0, 2, 2).verify(RUN, 0, directory, ED)).contains("a general signed twice");
  }

  @Test
  void signaturesDoNotCarryOverToAnotherRun() {
    assertThat(chain(Order.ATTACK, 0, 1).verify(RUN + 1, 0, directory, ED)).isPresent();
  }

  @Test
  void droppingALinkIsDetected() {
    SignedOrder s = chain(Order.ATTACK, 0, 1, 2);
    SignedOrder cut =
        new SignedOrder(s.order(), List.of(0, 2), List.of(s.signatures().get(0), s.signatures().get(2)));
    assertThat(cut.verify(RUN, 0, directory, ED)).contains("bad signature of general 2");
  }

  @Test
  void memoizingSchemeAgreesWithEd25519() {
    SignatureScheme memo = new MemoizingSignatures(ED);
    byte[] data = {1, 2, 3};
    byte[] sig = memo.sign(keys.pairOf(1).getPrivate(), data);
    assertThat(sig).isEqualTo(ED.sign(keys.pairOf(1).getPrivate(), data));
    assertThat(memo.verify(keys.pairOf(1).getPublic(), data, sig)).isTrue();
    assertThat(memo.verify(keys.pairOf(2).getPublic(), data, sig)).isFalse();
    assertThat(memo.verify(keys.pairOf(1).getPublic(), new byte[] {1, 2, 4}, sig)).isFalse();
  }
}
