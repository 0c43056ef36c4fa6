package io.gatehouse.cluster;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Runs the PostgreSQL listener on a daemon thread of its own while the application runs; nothing on H2. */
@Component
class ChangeListenerLifecycle implements SmartLifecycle {

	private final @Nullable PostgresChangeListener listener;

	private volatile boolean running;

	ChangeListenerLifecycle(ChangeSignals signals) {
		this.listener = signals.listener();
	}

	@Override
	public void start() {
		if (listener != null) {
			Thread thread = new Thread(listener, "gatehouse-change-listener");
			thread.setDaemon(true);
			thread.start();
		}
		running = true;
	}

	@Override
	public void stop() {
		if (listener != null) {
			listener.stop();
		}
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

}
