import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The password grant's ceiling: password checks per second of wall time, with THREADS threads released together,
 * through the encoder Gatehouse uses (accounts.PasswordHashing: Spring Security's delegating encoder, whose default
 * is bcrypt at strength 10). Each check is one PasswordEncoder.matches, what a password grant does once.
 *
 *   java -cp <Spring Security crypto + its dependencies> BcryptLoop.java [threads] [warmup_s] [seconds]
 *
 * Prints: LIMIT name=bcrypt-matches value=<checks/s> threads=N
 */
public final class BcryptLoop {

	public static void main(String[] args) throws Exception {
		int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
		double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 2;
		double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 6;
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		String hash = encoder.encode("bench-user-password");
		System.err.println("hash format: " + hash.substring(0, Math.min(hash.length(), 12)) + "...");
		LongAdder done = new LongAdder();
		CyclicBarrier start = new CyclicBarrier(threads + 1);
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread t = new Thread(() -> {
				try {
					start.await();
					long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
					while (System.nanoTime() < warmEnd) {
						check(encoder, hash);
					}
					long end = warmEnd + (long) (seconds * 1e9);
					long n = 0;
					while (System.nanoTime() < end) {
						check(encoder, hash);
						n++;
					}
					done.add(n);
				}
				catch (Exception e) {
					throw new IllegalStateException(e);
				}
			});
			t.start();
			workers.add(t);
		}
		start.await();
		for (Thread t : workers) {
			t.join();
		}
		System.out.printf("LIMIT name=bcrypt-matches value=%.1f threads=%d%n", done.sum() / seconds, threads);
	}

	private static void check(PasswordEncoder encoder, String hash) {
		if (!encoder.matches("bench-user-password", hash)) {
			throw new IllegalStateException("the password did not match");
		}
	}

	private BcryptLoop() {
	}
}
