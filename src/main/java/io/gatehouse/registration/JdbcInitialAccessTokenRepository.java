package io.gatehouse.registration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Table {@code initial_access_token}: tokens by id and by the SHA-256 of their value. */
@Repository
class JdbcInitialAccessTokenRepository {

	private static final String COLUMNS = "id, name, created_at, expires_at, single_use, used_at, created_by, revoked";

	private final JdbcClient jdbc;

	JdbcInitialAccessTokenRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(InitialAccessToken token, String tokenHash) {
		jdbc.sql("""
				insert into initial_access_token
				  (id, name, token_hash, expires_at, single_use, used_at, created_by, created_at, revoked)
				values (:id, :name, :hash, :expires, :single, null, :by, :created, false)
				""")
			.param("id", token.id())
			.param("name", token.name())
			.param("hash", tokenHash)
			.param("expires", utc(token.expiresAt()))
			.param("single", token.singleUse())
			.param("by", token.createdBy())
			.param("created", utc(token.createdAt()))
			.update();
	}

	/** The newest tokens first, at most {@code limit}. */
	List<InitialAccessToken> newest(int limit) {
		return jdbc.sql("select " + COLUMNS + " from initial_access_token order by created_at desc, id desc "
				+ "fetch first :n rows only")
			.param("n", limit)
			.query(JdbcInitialAccessTokenRepository::map)
			.list();
	}

	Optional<InitialAccessToken> find(String id) {
		return jdbc.sql("select " + COLUMNS + " from initial_access_token where id = :id")
			.param("id", id)
			.query(JdbcInitialAccessTokenRepository::map)
			.optional();
	}

	boolean revoke(String id) {
		return jdbc.sql("update initial_access_token set revoked = true where id = :id and revoked = false")
			.param("id", id)
			.update() == 1;
	}

	/**
	 * Records a registration with the token of this hash, if it is usable now: not revoked, not expired and, when
	 * single use, not used. One conditional update, so of concurrent requests with a single-use token exactly one
	 * claims it (the others wait for its row lock, then find it used). Empty when the token is not usable.
	 */
	Optional<InitialAccessToken> claim(String tokenHash, Instant now) {
		int claimed = jdbc.sql("""
				update initial_access_token set used_at = :now
				where token_hash = :hash and revoked = false and expires_at > :now
				  and (single_use = false or used_at is null)
				""")
			.param("now", utc(now))
			.param("hash", tokenHash)
			.update();
		if (claimed != 1) {
			return Optional.empty();
		}
		return jdbc.sql("select " + COLUMNS + " from initial_access_token where token_hash = :hash")
			.param("hash", tokenHash)
			.query(JdbcInitialAccessTokenRepository::map)
			.optional();
	}

	private static InitialAccessToken map(ResultSet row, int number) throws SQLException {
		OffsetDateTime used = row.getObject("used_at", OffsetDateTime.class);
		return new InitialAccessToken(row.getString("id"), row.getString("name"),
				row.getObject("created_at", OffsetDateTime.class).toInstant(),
				row.getObject("expires_at", OffsetDateTime.class).toInstant(), row.getBoolean("single_use"),
				used == null ? null : used.toInstant(), row.getString("created_by"), row.getBoolean("revoked"));
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
