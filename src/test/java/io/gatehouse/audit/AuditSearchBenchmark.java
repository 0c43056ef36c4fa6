package io.gatehouse.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import io.gatehouse.support.PostgresTestDatabase;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Seeds a million audit records and times searches of the audit log: a page with no filter, by actor, by client, by
 * type, a time range, and page 500, each as p50 and p99 over repeated runs. Run with {@code bench/audit-search.sh};
 * not a test, so {@code mvn verify} never runs it. One connection, as from a pool. Arguments: {@code h2} or
 * {@code postgres}, rows (default 1,000,000), runs per query (default 500).
 */
final class AuditSearchBenchmark {

	private AuditSearchBenchmark() {
	}

	public static void main(String[] args) {
		String database = args.length > 0 ? args[0] : "h2";
		int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
		int runs = args.length > 2 ? Integer.parseInt(args[2]) : 500;
		SingleConnectionDataSource dataSource = database.equals("postgres")
				? new SingleConnectionDataSource(PostgresTestDatabase.newDatabase(), PostgresTestDatabase.USER,
						PostgresTestDatabase.PASSWORD, true)
				: new SingleConnectionDataSource("jdbc:h2:mem:audit-bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
						+ "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "", true);
		Flyway.configure().dataSource(dataSource).load().migrate();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		long seedStart = System.nanoTime();
		seed(jdbc, database, rows);
		System.out.printf("%s: seeded %,d audit records in %.1f s%n", database, rows,
				(System.nanoTime() - seedStart) / 1e9);
		JdbcAuditRepository repository = new JdbcAuditRepository(jdbc, JsonMapper.builder().build());
		time(runs, "no filter, page 1", () -> AuditQuery.all(), repository);
		time(runs, "actor, page 1", () -> AuditQuery.parse("user42", null, null, null, null, null, null), repository);
		time(runs, "client, page 1", () -> AuditQuery.parse(null, "client-8", null, null, null, null, null),
				repository);
		time(runs, "type, page 1", () -> AuditQuery.parse(null, null, "sign_in.failed", null, null, null, null),
				repository);
		time(runs, "actor + type, page 1",
				() -> AuditQuery.parse("user40", null, "sign_in.failed", null, null, null, null), repository);
		time(runs, "time range, page 1",
				() -> AuditQuery.parse(null, null, null, "2026-03-01", "2026-03-02", null, null), repository);
		time(Math.max(1, runs / 10), "no filter, page 500 (offset 9,980)",
				() -> AuditQuery.parse(null, null, null, null, null, "500", null), repository);
	}

	/**
	 * A year of records, one every ~31 s: 1,000 actors, 100 clients (on every other record), five event types.
	 */
	private static void seed(JdbcClient jdbc, String database, int rows) {
		String series = database.equals("postgres") ? "generate_series(1, " + rows + ") as s(x)"
				: "system_range(1, " + rows + ") as s(x)";
		String seconds = database.equals("postgres") ? "make_interval(secs => x * 31)" : "x * 31 * interval '1' second";
		jdbc.sql("""
				insert into audit_record (occurred_at, actor_id, actor_username, actor_key, action, subject_type,
				                          subject_id, subject_name, changes, event_type, client_id)
				select timestamp with time zone '2026-01-01 00:00:00+00' + %s, null,
				       'user' || mod(x, 1000), 'user' || mod(x, 1000),
				       case mod(x, 5) when 0 then 'failed' when 1 then 'succeeded' when 2 then 'updated'
				                      when 3 then 'created' else 'revoked' end,
				       case mod(x, 5) when 0 then 'sign_in' when 1 then 'sign_in' when 2 then 'auth_client'
				                      when 3 then 'personal_access_token' else 'oauth_token' end,
				       cast(x as varchar(20)), 'subject ' || x,
				       '[{"field":"reason","from":null,"to":"bad_password"}]',
				       case mod(x, 5) when 0 then 'sign_in.failed' when 1 then 'sign_in.succeeded'
				                      when 2 then 'auth_client.updated' when 3 then 'personal_access_token.created'
				                      else 'oauth_token.revoked' end,
				       case when mod(x, 2) = 0 then 'client-' || mod(x, 100) else null end
				from %s
				""".formatted(seconds, series)).update();
		if (database.equals("postgres")) {
			jdbc.sql("analyze audit_record").update();
		}
	}

	private static void time(int runs, String name, Supplier<AuditQuery> query, JdbcAuditRepository repository) {
		for (int i = 0; i < Math.min(50, runs); i++) {
			repository.search(query.get());
		}
		long[] nanos = new long[runs];
		List<Integer> sizes = new ArrayList<>();
		for (int i = 0; i < runs; i++) {
			long start = System.nanoTime();
			sizes.add(repository.search(query.get()).rows().size());
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		System.out.printf("  %-36s rows %2d  p50 %7.2f ms  p99 %7.2f ms%n", name, sizes.get(0),
				nanos[runs / 2] / 1e6, nanos[Math.min(runs - 1, (int) Math.ceil(runs * 0.99) - 1)] / 1e6);
	}

}
