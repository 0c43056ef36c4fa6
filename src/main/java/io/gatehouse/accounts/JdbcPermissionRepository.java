package io.gatehouse.accounts;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcPermissionRepository {

	private final JdbcClient jdbc;

	JdbcPermissionRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Every permission, in the seeded display order. */
	List<Permission> findAll() {
		return jdbc.sql("select name, title, category from permission order by position, name")
			.query((rs, i) -> new Permission(rs.getString("name"), rs.getString("title"), rs.getString("category")))
			.list();
	}

}
