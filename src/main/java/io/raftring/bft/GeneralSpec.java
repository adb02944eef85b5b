package io.raftring.bft;

/**
 * Who a general is in one run. {@code commanderOrder} is the order a loyal commander gives (a traitor commander lies
 * about it); lieutenants know it only for checking IC2 afterwards and never use it.
 */
public record GeneralSpec(
    int id,
    int n,
    int m,
    Algorithm algorithm,
    int commander,
    Order commanderOrder,
    boolean traitor,
    TraitorStrategy strategy,
    long seed) {

  public boolean isCommander() {
    return id == commander;
  }

  /** The run id signed into every SM signature, so orders cannot be replayed across runs with other seeds. */
  public long runId() {
    return seed;
  }
}
