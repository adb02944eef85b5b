package io.raftring.txn;

import io.raftring.kv.KeyLock;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCodecException;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.kv.KvStateMachine;
import io.raftring.kv.LeaseCodec;
import io.raftring.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * What a group's replicas apply: the key-value state ({@link KvStateMachine}, which owns every key mutation) and,
 * beside it, the group's transaction state ({@link GroupTxnState}). Transaction messages ({@link TxnCodec}) go to
 * the latter; KV commands and queries go to the former once checked against the locks: a put or delete of a locked
 * key, and a read of a write-locked one, are answered {@link KvResult.Locked} instead.
 *
 * <p>Its snapshot is the KV snapshot followed by the transaction state; a snapshot of the KV state alone (written
 * before transactions existed) still restores, with no transaction state.
 */
public final class TxnStateMachine implements StateMachine {

  /** First byte of this machine's snapshots; a KV snapshot starts with its format byte, 1. */
  private static final int SNAPSHOT_MARK = 'T';
  private static final int SNAPSHOT_FORMAT_V1 = 1;

  private final KvStateMachine kv;
  private GroupTxnState txns = new GroupTxnState();

  public TxnStateMachine() {
    this(new KvStateMachine());
  }

  public TxnStateMachine(KvStateMachine kv) {
    this.kv = kv;
    // A lease that ends under a transaction's locks deletes the locked keys when the locks go (see apply).
    kv.holdLeaseDeletesOf(key -> !txns.locksBlockingWrite(key).isEmpty());
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    if (TxnCodec.isTxnMessage(command)) {
      TxnCommand decoded;
      try {
        decoded = TxnCodec.decodeCommand(command);
      } catch (KvCodecException e) {
        return TxnCodec.encode(new TxnResult.Rejected("log entry " + index + ": " + e.getMessage()));
      }
      return TxnCodec.encode(apply(decoded));
    }
    if (LeaseCodec.isCommand(command) || KvCodec.isRestoreChunk(command)) {
      return kv.apply(index, command); // told apart by their tags, not by a failed decode
    }
    KvCommand decoded;
    try {
      decoded = KvCodec.decodeCommand(command);
    } catch (KvCodecException e) {
      return kv.apply(index, command); // the KV machine answers what it cannot read
    }
    return KvCodec.encode(apply(decoded));
  }

  /** A plain put or delete: refused with the locks on its key, if any, else applied. */
  public KvResult apply(KvCommand command) {
    List<KeyLock> blocking = txns.locksBlockingWrite(command.key());
    if (!blocking.isEmpty()) {
      return new KvResult.Locked(blocking, Optional.empty());
    }
    return kv.apply(command);
  }

  @Override
  public byte[] query(byte[] query) {
    if (TxnCodec.isTxnMessage(query)) {
      TxnQuery decoded;
      try {
        decoded = TxnCodec.decodeQuery(query);
      } catch (KvCodecException e) {
        return TxnCodec.encode(new TxnResult.Rejected(e.getMessage()));
      }
      return TxnCodec.encode(query(decoded));
    }
    if (LeaseCodec.isQuery(query)) {
      return kv.query(query); // a lease keep-alive: no transaction state to consult, and no exception to throw
    }
    KvQuery decoded;
    try {
      decoded = KvCodec.decodeQuery(query);
    } catch (KvCodecException e) {
      return kv.query(query);
    }
    return KvCodec.encode(query(decoded));
  }

  /**
   * A plain read: the committed answer, wrapped in {@link KvResult.Locked} when write locks stand on its keys; an
   * export (a backup's page) is answered as it is.
   */
  public KvResult query(KvQuery query) {
    KvResult answer = kv.query(query);
    if (query instanceof KvQuery.Export) {
      // A backup copies the committed state as of its first page; a transaction still undecided then is not in it.
      return answer;
    }
    List<KeyLock> blocking = txns.locksBlockingRead(query, answer);
    return blocking.isEmpty() ? answer : new KvResult.Locked(blocking, Optional.of(answer));
  }

  /**
   * A transaction command; one that releases locks (a commit or an abort) then deletes the released keys whose lease
   * ended while they were locked, in the same entry.
   */
  public TxnResult apply(TxnCommand command) {
    List<String> releasing = command instanceof TxnCommand.Commit commit ? txns.lockedKeysOf(commit.id())
        : command instanceof TxnCommand.Abort abort ? txns.lockedKeysOf(abort.id()) : List.of();
    TxnResult result = txns.apply(command, kv);
    if (!releasing.isEmpty()) {
      kv.deleteKeysOfEndedLeases(releasing);
    }
    return result;
  }

  public TxnResult query(TxnQuery query) {
    if (query instanceof TxnQuery.Read read) {
      return txns.read(read, kv);
    }
    if (query instanceof TxnQuery.RecordOf recordOf) {
      return txns.recordOf(recordOf);
    }
    return txns.listPrepared((TxnQuery.ListPrepared) query);
  }

  /** The key-value state, for tests and diagnostics. */
  public KvStateMachine kv() {
    return kv;
  }

  // ---- snapshots

  @Override
  public SnapshotView snapshotView() {
    SnapshotView kvView = kv.snapshotView();
    byte[] txnState = TxnCodec.encodeState(txns.contents());
    return out -> write(out, kvView, txnState);
  }

  @Override
  public void writeSnapshot(OutputStream out) throws IOException {
    write(out, kv::writeSnapshot, TxnCodec.encodeState(txns.contents()));
  }

  private static void write(OutputStream out, SnapshotView kvView, byte[] txnState) throws IOException {
    out.write(SNAPSHOT_MARK);
    out.write(SNAPSHOT_FORMAT_V1);
    kvView.writeTo(out);
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(txnState.length);
    data.write(txnState);
    CRC32 crc = new CRC32();
    crc.update(txnState);
    data.writeInt((int) crc.getValue());
    data.flush();
  }

  /**
   * Restores the KV state (replaced only once wholly read) and then the transaction state; a snapshot of the KV state
   * alone leaves no transaction state.
   */
  @Override
  public void restore(InputStream in) throws IOException {
    PushbackInputStream stream = new PushbackInputStream(in, 1);
    int first = stream.read();
    if (first != SNAPSHOT_MARK) {
      if (first >= 0) {
        stream.unread(first);
      }
      kv.restore(stream);
      txns = new GroupTxnState();
      return;
    }
    int format = stream.read();
    if (format != SNAPSHOT_FORMAT_V1) {
      throw new IOException("unsupported transaction snapshot format " + format);
    }
    kv.restore(stream);
    DataInputStream data = new DataInputStream(stream);
    int length = data.readInt();
    if (length < 0) {
      throw new IOException("corrupt snapshot: negative transaction state length " + length);
    }
    byte[] state = data.readNBytes(length);
    if (state.length != length) {
      throw new IOException("truncated snapshot: transaction state ends after " + state.length + " bytes");
    }
    CRC32 crc = new CRC32();
    crc.update(state);
    if ((int) crc.getValue() != data.readInt()) {
      throw new IOException("corrupt snapshot: transaction state checksum mismatch");
    }
    try {
      txns = new GroupTxnState(TxnCodec.decodeState(state));
    } catch (KvCodecException e) {
      throw new IOException("corrupt snapshot: " + e.getMessage(), e);
    }
  }
}
