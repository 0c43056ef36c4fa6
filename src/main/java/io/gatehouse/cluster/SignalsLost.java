package io.gatehouse.cluster;

/**
 * Signals from other nodes may have been missed (the listening connection broke, or has just been opened): every
 * cache must drop everything. Until signals flow again, {@link ChangeSignals#trusted()} is false and caches read
 * through to the database. Also published, on every node, after a bulk change committed (see
 * {@code ChangeSignals}): too many rows changed to name them one by one.
 */
public record SignalsLost(String reason) {
}
