package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import io.gatehouse.accounts.Usernames;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fills in {@code account.username_skeleton} (added by V13) for the accounts that exist, oldest first. The skeleton
 * is computed in Java because neither database can (ICU4J's TR 39 data). When a younger account's username looks
 * like an older one's, the younger one is left without a skeleton rather than failing the migration on the unique
 * index: it keeps working, and no new username like it can be taken.
 */
public class V13_1__Backfill_username_skeletons extends BaseJavaMigration {

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		Set<String> taken = new HashSet<>();
		try (Statement select = connection.createStatement();
				ResultSet accounts = select.executeQuery("select id, username from account order by id");
				PreparedStatement update = connection
					.prepareStatement("update account set username_skeleton = ? where id = ?")) {
			while (accounts.next()) {
				String skeleton = Usernames.skeleton(accounts.getString("username"));
				if (taken.add(skeleton)) {
					update.setString(1, skeleton);
					update.setLong(2, accounts.getLong("id"));
					update.addBatch();
				}
			}
			update.executeBatch();
		}
	}

}
