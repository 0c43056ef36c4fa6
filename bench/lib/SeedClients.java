import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seeds auth clients bench-FROM .. bench-TO into a stopped Gatehouse's H2 file database in one INSERT ... SELECT,
 * each a copy of a TEMPLATE client that the server itself created (through its REST API), so every column the
 * migrations have added gets a value the server wrote: only the identity, the name, the redirect URL and the
 * timestamps differ. Names are "Bench client N", ids "bench-N", redirect URLs https://appN.example.com/callback.
 *
 *   java -cp <h2 jar> SeedClients.java JDBC_URL TEMPLATE_ID FROM TO
 *
 * Prints: SEEDED rows=N seconds=S
 *
 * (SYSTEM_RANGE's column is "X" in capitals, which an unquoted x does not match under DATABASE_TO_LOWER=TRUE.)
 */
public final class SeedClients {

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String template = args[1];
		long from = Long.parseLong(args[2]);
		long to = Long.parseLong(args[3]);
		long started = System.nanoTime();
		try (Connection c = DriverManager.getConnection(url, "sa", "")) {
			c.setAutoCommit(false);
			List<String> columns = new ArrayList<>();
			DatabaseMetaData meta = c.getMetaData();
			try (ResultSet rs = meta.getColumns(null, null, "auth_client", null)) {
				while (rs.next()) {
					columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
				}
			}
			if (!columns.contains("id") || !columns.contains("name")) {
				throw new IllegalStateException("no auth_client table with id and name in " + url + ": " + columns);
			}
			List<String> values = new ArrayList<>();
			for (String column : columns) {
				values.add(switch (column) {
					case "id" -> "'bench-' || r.n";
					case "name" -> "'Bench client ' || r.n";
					case "name_key" -> "'bench client ' || r.n";
					case "redirect_uris" -> "'https://app' || r.n || '.example.com/callback'";
					case "created_at", "updated_at" -> "dateadd('SECOND', r.n, t." + column + ")";
					default -> "t." + column;
				});
			}
			String sql = "insert into auth_client (" + String.join(", ", columns) + ") select " + String.join(", ", values)
					+ " from auth_client t cross join (select \"X\" as n from system_range(" + from + ", " + to + ")) r where t.id = ?";
			int rows;
			try (PreparedStatement insert = c.prepareStatement(sql)) {
				insert.setString(1, template);
				rows = insert.executeUpdate();
			}
			if (rows != to - from + 1) {
				throw new IllegalStateException("inserted " + rows + " rows, expected " + (to - from + 1)
						+ " (is " + template + " a client of this database?)");
			}
			c.commit();
			System.out.printf("SEEDED rows=%d seconds=%.2f%n", rows, (System.nanoTime() - started) / 1e9);
		}
	}

	private SeedClients() {
	}
}
