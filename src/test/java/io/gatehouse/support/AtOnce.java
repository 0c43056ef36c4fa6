package io.gatehouse.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the same task on {@code threads} real threads released together by one latch, so that races are tried rather
 * than assumed; the answers come back in the order the threads were started. A thread that has not answered after a
 * minute fails the test (the pool is then shut down, interrupting the rest).
 */
public final class AtOnce {

	private AtOnce() {
	}

	public static <T> List<T> run(int threads, Callable<T> task) throws Exception {
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<T>> running = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				running.add(pool.submit(() -> {
					go.await();
					return task.call();
				}));
			}
			go.countDown();
			List<T> answers = new ArrayList<>();
			for (Future<T> each : running) {
				answers.add(each.get(60, TimeUnit.SECONDS));
			}
			return answers;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
