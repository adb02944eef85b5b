package io.raftring.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.watch.WatchStreamIds.Duplicate;
import io.raftring.watch.WatchStreamIds.Full;
import io.raftring.watch.WatchStreamIds.Opened;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The ids of an interactive watch stream: which are open, which one a create gets, and whose elements go out. */
class WatchStreamIdsTest {

  private static int idOf(WatchStreamIds.Created created) {
    return ((Opened) created).id();
  }

  @Test
  void aCreateWithoutAnIdGetsTheNextOneCountingUpAndSkippingIdsInUse() {
    WatchStreamIds ids = new WatchStreamIds(10);

    assertThat(idOf(ids.create(null))).isZero();
    assertThat(idOf(ids.create(2))).isEqualTo(2);
    assertThat(idOf(ids.create(null))).isEqualTo(1);
    assertThat(idOf(ids.create(null))).as("2 is the client's").isEqualTo(3);
    ids.cancel(0);
    assertThat(idOf(ids.create(null))).as("an id given once is not given again").isEqualTo(4);
  }

  @Test
  void aClientsIdInUseIsRefusedAndChangesNothing() {
    WatchStreamIds ids = new WatchStreamIds(10);
    Opened first = (Opened) ids.create(7);

    assertThat(ids.create(7)).isEqualTo(new Duplicate(7));

    assertThat(ids.openCount()).isEqualTo(1);
    assertThat(ids.isOpen(7, first.generation())).isTrue();
  }

  @Test
  void beyondTheLimitACreateEndsItsWatchAndOpensNothing() {
    WatchStreamIds ids = new WatchStreamIds(2);
    ids.create(null);
    ids.create(null);

    assertThat(ids.create(null)).isEqualTo(new Full(2, 2));
    assertThat(ids.create(9)).isEqualTo(new Full(9, 2));
    assertThat(ids.openCount()).isEqualTo(2);

    ids.cancel(0);
    assertThat(ids.create(null)).isInstanceOf(Opened.class);
  }

  @Test
  void aCancelledWatchDeliversNothingMoreAndItsReusedIdOnlyTheNewWatchesElements() {
    WatchStreamIds ids = new WatchStreamIds(10);
    long old = ((Opened) ids.create(3)).generation();

    assertThat(ids.cancel(3)).isEqualTo(OptionalLong.of(old));
    assertThat(ids.deliver(3, old, false)).isFalse();

    long renewed = ((Opened) ids.create(3)).generation();
    assertThat(renewed).isNotEqualTo(old);
    assertThat(ids.deliver(3, old, false)).as("the old watch's late element").isFalse();
    assertThat(ids.deliver(3, renewed, false)).isTrue();
  }

  @Test
  void aCancelOfNoOpenWatchChangesNothing() {
    WatchStreamIds ids = new WatchStreamIds(10);
    long open = ((Opened) ids.create(1)).generation();

    assertThat(ids.cancel(2)).isEmpty();
    assertThat(ids.isOpen(1, open)).isTrue();
  }

  @Test
  void aWatchsEndIsDeliveredAndClosesItsId() {
    WatchStreamIds ids = new WatchStreamIds(10);
    long generation = ((Opened) ids.create(4)).generation();

    assertThat(ids.deliver(4, generation, true)).isTrue();

    assertThat(ids.openCount()).isZero();
    assertThat(ids.deliver(4, generation, false)).isFalse();
    assertThat(ids.cancel(4)).as("nothing left to cancel").isEmpty();
  }

  @Test
  void closingAllLeavesNothingToDeliver() {
    WatchStreamIds ids = new WatchStreamIds(10);
    long generation = ((Opened) ids.create(null)).generation();

    ids.closeAll();

    assertThat(ids.deliver(0, generation, false)).isFalse();
    assertThat(ids.openCount()).isZero();
  }
}
