package io.gatehouse.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Storage for webhook endpoints ({@code webhook_endpoint}) and the outbox of deliveries ({@code webhook_delivery}).
 * A delivery is claimed by a lease: {@link #claimDue} selects due queue heads {@code for update skip locked}, so of
 * several nodes polling at once each takes different rows, and sets the lease in the same short transaction; the
 * HTTP call happens after the commit, holding no lock or connection.
 */
@Repository
class JdbcWebhookRepository {

	private static final String ENDPOINT_COLUMNS = "id, url, description, event_types, active, created_at, updated_at";

	private static final String DELIVERY_COLUMNS = """
			id, endpoint_id, event_id, event_type, state, attempts, next_attempt_at, last_status, last_duration_ms,
			last_error, created_at, finished_at""";

	private final JdbcClient jdbc;

	JdbcWebhookRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long insertEndpoint(String url, String description, Set<String> eventTypes, boolean active, Instant now) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into webhook_endpoint (url, description, event_types, secret, active, created_at, updated_at)
				values (:url, :description, :eventTypes, '', :active, :now, :now)
				""")
			.param("url", url)
			.param("description", description)
			.param("eventTypes", String.join(" ", eventTypes))
			.param("active", active)
			.param("now", utc(now))
			.update(keys, "id");
		return keys.getKey().longValue();
	}

	boolean updateEndpoint(long id, String url, String description, Set<String> eventTypes, boolean active,
			Instant now) {
		return jdbc.sql("""
				update webhook_endpoint
				set url = :url, description = :description, event_types = :eventTypes, active = :active,
				    updated_at = :now
				where id = :id
				""")
			.param("id", id)
			.param("url", url)
			.param("description", description)
			.param("eventTypes", String.join(" ", eventTypes))
			.param("active", active)
			.param("now", utc(now))
			.update() == 1;
	}

	void updateSecret(long id, String encryptedSecret, Instant now) {
		jdbc.sql("update webhook_endpoint set secret = :secret, updated_at = :now where id = :id")
			.param("id", id)
			.param("secret", encryptedSecret)
			.param("now", utc(now))
			.update();
	}

	/** Deletes the endpoint and, by the foreign key's cascade, its deliveries. */
	boolean deleteEndpoint(long id) {
		return jdbc.sql("delete from webhook_endpoint where id = :id").param("id", id).update() == 1;
	}

	Optional<WebhookEndpoint> findEndpoint(long id) {
		return jdbc.sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoint where id = :id")
			.param("id", id)
			.query(JdbcWebhookRepository::endpoint)
			.optional();
	}

	List<WebhookEndpoint> findEndpoints() {
		return jdbc.sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoint order by id")
			.query(JdbcWebhookRepository::endpoint)
			.list();
	}

	List<WebhookEndpoint> findActiveEndpoints() {
		return jdbc.sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoint where active = true order by id")
			.query(JdbcWebhookRepository::endpoint)
			.list();
	}

	void enqueue(long endpointId, long eventId, String eventType, String orderingKey, String payload, Instant now) {
		jdbc.sql("""
				insert into webhook_delivery (endpoint_id, event_id, event_type, ordering_key, payload, state, attempts,
				                              next_attempt_at, created_at)
				values (:endpointId, :eventId, :eventType, :orderingKey, :payload, 'pending', 0, :now, :now)
				""")
			.param("endpointId", endpointId)
			.param("eventId", eventId)
			.param("eventType", eventType)
			.param("orderingKey", orderingKey)
			.param("payload", payload)
			.param("now", utc(now))
			.update();
	}

	/**
	 * Leases up to {@code limit} due deliveries to {@code owner} until {@code leaseUntil} and counts the attempt; run
	 * it in a transaction. Only the head of each queue (endpoint and ordering key) is due: a later event of the same
	 * client waits until the earlier one is delivered or given up, even while the earlier one is leased elsewhere.
	 */
	List<Long> claimDue(Instant now, Instant leaseUntil, String owner, int limit) {
		List<Long> ids = jdbc.sql("""
				select d.id from webhook_delivery d
				where d.state = 'pending' and d.next_attempt_at <= :now
				  and (d.lease_until is null or d.lease_until < :now)
				  and not exists (select 1 from webhook_delivery e
				                  where e.endpoint_id = d.endpoint_id and e.ordering_key = d.ordering_key
				                    and e.state = 'pending' and e.id < d.id)
				order by d.id
				fetch first :limit rows only
				for update skip locked
				""").param("now", utc(now)).param("limit", limit).query(Long.class).list();
		if (ids.isEmpty()) {
			return ids;
		}
		// the lease is taken only where no other claim holds one (belt and braces on top of the row locks)
		return ids.stream()
			.filter(id -> jdbc.sql("""
					update webhook_delivery set lease_until = :until, lease_owner = :owner, attempts = attempts + 1
					where id = :id and state = 'pending' and (lease_until is null or lease_until < :now)
					""")
				.param("id", id)
				.param("until", utc(leaseUntil))
				.param("owner", owner)
				.param("now", utc(now))
				.update() == 1)
			.toList();
	}

	/** A claimed delivery with what sending it needs besides its endpoint: the body, the attempt's number. */
	Optional<Claimed> findClaimed(long id, String owner) {
		return jdbc.sql("""
				select id, endpoint_id, event_id, event_type, payload, attempts from webhook_delivery
				where id = :id and lease_owner = :owner and state = 'pending'
				""")
			.param("id", id)
			.param("owner", owner)
			.query((rs, row) -> new Claimed(rs.getLong("id"), rs.getLong("endpoint_id"), rs.getLong("event_id"),
					rs.getString("event_type"), rs.getString("payload"), rs.getInt("attempts")))
			.optional();
	}

	/** The URL and encrypted signing secret of the endpoint; empty when it was deleted. */
	Optional<EncryptedEndpoint> findEncryptedEndpoint(long id) {
		return jdbc.sql("select url, secret from webhook_endpoint where id = :id")
			.param("id", id)
			.query((rs, row) -> new EncryptedEndpoint(rs.getString("url"), rs.getString("secret")))
			.optional();
	}

	record EncryptedEndpoint(String url, String encryptedSecret) {
	}

	/** Adds an attempt to the delivery's history. */
	void insertAttempt(long deliveryId, int attempt, Instant attemptedAt, @Nullable Integer status,
			@Nullable String error, int durationMs, String responseBody) {
		jdbc.sql("""
				insert into webhook_attempt (delivery_id, attempt, attempted_at, status, error, duration_ms,
				                             response_body)
				values (:delivery, :attempt, :at, :status, :error, :duration, :body)
				""")
			.param("delivery", deliveryId)
			.param("attempt", attempt)
			.param("at", utc(attemptedAt))
			.param("status", status)
			.param("error", error)
			.param("duration", durationMs)
			.param("body", responseBody)
			.update();
	}

	private static final String ATTEMPT_COLUMNS = """
			id, delivery_id, attempt, attempted_at, status, error, duration_ms, response_body""";

	/** The delivery's attempts, first first. */
	List<WebhookAttempt> findAttempts(long deliveryId) {
		return jdbc.sql("select " + ATTEMPT_COLUMNS + " from webhook_attempt where delivery_id = :d order by id")
			.param("d", deliveryId)
			.query(JdbcWebhookRepository::attempt)
			.list();
	}

	/** The attempts of these deliveries, by delivery, first first: one query for a page of the delivery log. */
	Map<Long, List<WebhookAttempt>> findAttempts(Collection<Long> deliveryIds) {
		Map<Long, List<WebhookAttempt>> byDelivery = new HashMap<>();
		if (deliveryIds.isEmpty()) {
			return byDelivery;
		}
		jdbc.sql("select " + ATTEMPT_COLUMNS + " from webhook_attempt where delivery_id in (:ids) order by id")
			.param("ids", deliveryIds)
			.query(JdbcWebhookRepository::attempt)
			.list()
			.forEach(attempt -> byDelivery.computeIfAbsent(attempt.deliveryId(), id -> new ArrayList<>()).add(attempt));
		return byDelivery;
	}

	private static WebhookAttempt attempt(ResultSet rs, int row) throws SQLException {
		return new WebhookAttempt(rs.getLong("id"), rs.getLong("delivery_id"), rs.getInt("attempt"),
				rs.getObject("attempted_at", OffsetDateTime.class).toInstant(), rs.getObject("status", Integer.class),
				rs.getString("error"), rs.getInt("duration_ms"), rs.getString("response_body"));
	}

	/**
	 * Records an attempt's outcome and releases the lease, unless the lease was lost to another claim meanwhile.
	 * {@code state} pending means another attempt at {@code nextAttemptAt}.
	 */
	boolean finishAttempt(long id, String owner, String state, @Nullable Integer status, int durationMs,
			@Nullable String error, Instant nextAttemptAt, Instant now) {
		return jdbc.sql("""
				update webhook_delivery
				set state = :state, last_status = :status, last_duration_ms = :duration, last_error = :error,
				    next_attempt_at = :next, lease_until = null, lease_owner = null, finished_at = :finished
				where id = :id and lease_owner = :owner
				""")
			.param("id", id)
			.param("owner", owner)
			.param("state", state)
			.param("status", status)
			.param("duration", durationMs)
			.param("error", error)
			.param("next", utc(nextAttemptAt))
			.param("finished", WebhookDelivery.PENDING.equals(state) ? null : utc(now))
			.update() == 1;
	}

	/** A new pending delivery of the same event to the same endpoint, at the end of its queue. */
	long redeliver(WebhookDelivery original, Instant now) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into webhook_delivery (endpoint_id, event_id, event_type, ordering_key, payload, state, attempts,
				                              next_attempt_at, created_at)
				select endpoint_id, event_id, event_type, ordering_key, payload, 'pending', 0, :now, :now
				from webhook_delivery where id = :id
				""").param("id", original.id()).param("now", utc(now)).update(keys, "id");
		return keys.getKey().longValue();
	}

	Optional<WebhookDelivery> findDelivery(long endpointId, long id) {
		return jdbc.sql("select " + DELIVERY_COLUMNS + " from webhook_delivery where id = :id and endpoint_id = :e")
			.param("id", id)
			.param("e", endpointId)
			.query(JdbcWebhookRepository::delivery)
			.optional();
	}

	/** The endpoint's deliveries, newest first, {@code limit} from {@code offset}. */
	List<WebhookDelivery> findDeliveries(long endpointId, int offset, int limit) {
		return jdbc.sql("select " + DELIVERY_COLUMNS + """
				 from webhook_delivery where endpoint_id = :e
				order by id desc
				offset :offset rows fetch first :limit rows only
				""").param("e", endpointId).param("offset", offset).param("limit", limit)
			.query(JdbcWebhookRepository::delivery)
			.list();
	}

	String payload(long deliveryId) {
		return jdbc.sql("select payload from webhook_delivery where id = :id")
			.param("id", deliveryId)
			.query(String.class)
			.single();
	}

	long countPending() {
		return jdbc.sql("select count(*) from webhook_delivery where state = 'pending'").query(Long.class).single();
	}

	/** Deletes up to {@code limit} deliveries finished before {@code before}; returns how many. */
	int deleteFinishedBefore(Instant before, int limit) {
		List<Long> ids = jdbc.sql("""
				select id from webhook_delivery where finished_at < :before
				order by finished_at fetch first :limit rows only
				""").param("before", utc(before)).param("limit", limit).query(Long.class).list();
		if (ids.isEmpty()) {
			return 0;
		}
		return jdbc.sql("delete from webhook_delivery where id in (:ids)").param("ids", ids).update();
	}

	record Claimed(long id, long endpointId, long eventId, String eventType, String payload, int attempts) {
	}

	private static WebhookEndpoint endpoint(ResultSet rs, int row) throws SQLException {
		Set<String> types = new LinkedHashSet<>(Arrays.asList(rs.getString("event_types").split(" ")));
		types.remove("");
		return new WebhookEndpoint(rs.getLong("id"), rs.getString("url"), rs.getString("description"), types,
				rs.getBoolean("active"), instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static WebhookDelivery delivery(ResultSet rs, int row) throws SQLException {
		return new WebhookDelivery(rs.getLong("id"), rs.getLong("endpoint_id"), rs.getLong("event_id"),
				rs.getString("event_type"), rs.getString("state"), rs.getInt("attempts"),
				instant(rs, "next_attempt_at"), (Integer) rs.getObject("last_status", Integer.class),
				(Integer) rs.getObject("last_duration_ms", Integer.class), rs.getString("last_error"),
				instant(rs, "created_at"), nullableInstant(rs, "finished_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		return rs.getObject(column, OffsetDateTime.class).toInstant();
	}

	private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	/** At microsecond precision, as both databases store it: a stored time never rounds past the one compared. */
	private static OffsetDateTime utc(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
	}

}
