package io.gatehouse.cluster;

/**
 * Something changed in the database: a node that caches anything about it must drop it. Delivered as a Spring event
 * on every node after the change committed, on the committing node at once (in the committing thread) and on the
 * others within {@link ChangeSignals#STALENESS_BOUND}. A signal may arrive more than once; acting on it must be
 * idempotent.
 *
 * @param topic what kind of thing changed, for example {@code "client"}
 * @param key which one, for example the client id; never a secret (signals travel in clear through the database)
 */
public record ChangeSignal(String topic, String key) {

	public boolean is(String topic) {
		return this.topic.equals(topic);
	}

	/** The wire form: the topic, a colon, the key. */
	String payload() {
		return topic + ":" + key;
	}

	static ChangeSignal parse(String payload) {
		int colon = payload.indexOf(':');
		return colon < 0 ? new ChangeSignal(payload, "") : new ChangeSignal(payload.substring(0, colon),
				payload.substring(colon + 1));
	}

}
