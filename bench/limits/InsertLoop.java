import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.LongAdder;

/**
 * The durable-write ceiling of a token endpoint that stores every token: INSERT one row shaped like a stored token
 * (a SHA-256 hash as the key, a few columns) and COMMIT it, in a loop, on THREADS connections released together.
 * Rows per second of wall time; each row is its own transaction, as one token request's write is today.
 *
 *   java -cp <JDBC driver> InsertLoop.java NAME JDBC_URL USER PASSWORD THREADS [warmup_s] [seconds]
 *
 * Creates (or empties) table bench_insert_limit in that database. Prints:
 *   LIMIT name=NAME value=<rows/s> threads=N
 */
public final class InsertLoop {

	public static void main(String[] args) throws Exception {
		String name = args[0];
		String url = args[1];
		String user = args[2];
		String password = args[3];
		int threads = Integer.parseInt(args[4]);
		double warmup = args.length > 5 ? Double.parseDouble(args[5]) : 1;
		double seconds = args.length > 6 ? Double.parseDouble(args[6]) : 4;
		try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
			s.execute("drop table if exists bench_insert_limit");
			s.execute("""
					create table bench_insert_limit (
					    token_hash  varchar(64)  not null,
					    client_id   varchar(64)  not null,
					    token_type  varchar(32)  not null,
					    scopes      varchar(255) not null,
					    issued_at   timestamp with time zone not null,
					    expires_at  timestamp with time zone not null,
					    constraint bench_insert_limit_pk primary key (token_hash)
					)""");
		}
		LongAdder done = new LongAdder();
		CyclicBarrier start = new CyclicBarrier(threads + 1);
		List<Thread> workers = new ArrayList<>();
		List<Throwable> failures = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Connection c = DriverManager.getConnection(url, user, password);
			c.setAutoCommit(false);
			Thread t = new Thread(() -> {
				SecureRandom random = new SecureRandom();
				byte[] key = new byte[32];
				try (c; PreparedStatement insert = c.prepareStatement(
						"insert into bench_insert_limit (token_hash, client_id, token_type, scopes, issued_at, expires_at)"
								+ " values (?, ?, ?, ?, ?, ?)")) {
					start.await();
					long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
					long end = warmEnd + (long) (seconds * 1e9);
					long n = 0;
					long now;
					while ((now = System.nanoTime()) < end) {
						random.nextBytes(key);
						long millis = System.currentTimeMillis();
						insert.setString(1, HexFormat.of().formatHex(key));
						insert.setString(2, "0c7f3a51-2b8e-4d6f-9a1c-5e7b3d9f2a46");
						insert.setString(3, "access_token");
						insert.setString(4, "api");
						insert.setTimestamp(5, new Timestamp(millis));
						insert.setTimestamp(6, new Timestamp(millis + 600_000));
						insert.executeUpdate();
						c.commit();
						if (now >= warmEnd) {
							n++;
						}
					}
					done.add(n);
				}
				catch (Throwable e) {
					synchronized (failures) {
						failures.add(e);
					}
				}
			});
			t.start();
			workers.add(t);
		}
		start.await();
		for (Thread t : workers) {
			t.join();
		}
		if (!failures.isEmpty()) {
			failures.get(0).printStackTrace();
			System.exit(1);
		}
		System.out.printf("LIMIT name=%s value=%.0f threads=%d%n", name, done.sum() / seconds, threads);
	}

	private InsertLoop() {
	}
}
