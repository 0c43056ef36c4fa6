package io.gatehouse.oauth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.gatehouse.oauth.JdbcAuthorizationRepository.NewGrantRows;
import io.gatehouse.oauth.JdbcAuthorizationRepository.RotationRows;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit of new grants and refresh token rotations: the rows of many requests' new grants inserted, and their
 * rotations claimed and inserted ({@link JdbcAuthorizationRepository#rotate}), in one transaction (a JDBC batch per
 * table) and made durable by one commit, one file write on H2 with {@code WRITE_DELAY=0} and one fsync on
 * PostgreSQL, instead of one each. {@link #commit} and {@link #rotate} return only once the caller's rows are
 * committed, so a response is never sent for a token that a crash could lose.
 * <p>
 * A rotation claims its refresh token in the group's transaction with a conditional update, under its grant's row
 * lock as a rotation alone does, so two requests that present the same token, in one group or in two, claim it once.
 * One whose claim changes no row writes nothing and is handed back to its request, which saves it on its own: there
 * the reuse revokes the grant, as it would have without the group.
 * <p>
 * Who writes ({@code gatehouse.tokens.group-commit}):
 * <ul>
 * <li>{@code leader} (the default): the request at the head of the queue writes everything queued so far, in its own
 * thread, and then hands over to the new head, which writes what queued up meanwhile. A request that finds nothing in
 * flight commits at once, as it would alone; no timer, no thread switch.</li>
 * <li>{@code thread}: one committer thread takes everything queued as soon as the queue is not empty; every request
 * waits for it.</li>
 * </ul>
 * A transaction holds one connection however many grants it writes, so on PostgreSQL the issued tokens no longer
 * compete for the pool. When a group's transaction fails (one bad row fails the whole batch), every grant of it is
 * tried again in a transaction of its own, so only the request whose row is bad gets the error; its rotations go back
 * to their requests (nothing of them written), which save them on their own. A request waits at
 * most {@link #WAIT} for its turn; then it fails as a database outage does (503, nothing of it written, or, if its
 * group was already being written, a token nobody was given).
 */
@Component
class TokenStoreGroupCommit implements DisposableBean {

	private static final Log logger = LogFactory.getLog(TokenStoreGroupCommit.class);

	/** The longest a request waits for its rows to be committed. */
	static final Duration WAIT = Duration.ofSeconds(10);

	/** The most grants in one transaction: a larger group only delays the first of them. */
	static final int MOST_GRANTS = 256;

	private final JdbcAuthorizationRepository repository;

	private final TransactionTemplate transactions;

	private final DistributionSummary groups;

	private final ReentrantLock lock = new ReentrantLock();

	/** Grants not yet committed, oldest first; a group being written stays at the head until it is done. */
	private final ArrayDeque<Pending> queue = new ArrayDeque<>();

	private final @Nullable Thread committer;

	/** Signalled when the queue gets a grant, for {@link #committer}. */
	private final Condition queued = lock.newCondition();

	private volatile boolean stopped;

	TokenStoreGroupCommit(JdbcAuthorizationRepository repository, PlatformTransactionManager transactionManager,
			MeterRegistry registry, @Value("${gatehouse.tokens.group-commit:leader}") String mode) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.groups = DistributionSummary.builder("gatehouse.oauth.token.group.commit.grants")
			.description("New grants and refresh token rotations committed per transaction of the token store's "
					+ "group commit")
			.register(registry);
		if (mode.equals("thread")) {
			committer = new Thread(this::commitWhileRunning, "token-store-group-commit");
			committer.setDaemon(true);
			committer.start();
		}
		else if (mode.equals("leader")) {
			committer = null;
		}
		else {
			throw new IllegalArgumentException("gatehouse.tokens.group-commit must be leader or thread, not " + mode);
		}
	}

	/**
	 * Inserts the grant's rows with those of the other requests waiting now, and returns once they are committed.
	 *
	 * @throws RuntimeException what inserting this grant's rows failed with, when they were not committed
	 * @throws DataAccessResourceFailureException when the rows were not committed within {@link #WAIT}
	 */
	void commit(NewGrantRows grant) {
		await(new Pending(grant, null, lock.newCondition()));
	}

	/**
	 * Claims the presented refresh token and inserts the grant's new tokens with the other requests' rows waiting now
	 * ({@link JdbcAuthorizationRepository#rotate}); true once they are committed. False when nothing of it was
	 * written and it must be saved on its own: its token was claimed by another request first, or its group's
	 * transaction failed.
	 *
	 * @throws DataAccessResourceFailureException when the rows were not committed within {@link #WAIT}
	 */
	boolean rotate(RotationRows rotation) {
		Pending mine = new Pending(null, rotation, lock.newCondition());
		await(mine);
		return mine.claimed;
	}

	private void await(Pending mine) {
		List<Pending> group;
		lock.lock();
		try {
			queue.addLast(mine);
			if (committer != null) {
				queued.signal();
			}
			long left = WAIT.toNanos();
			while (mine.state != State.DONE && (committer != null || queue.peekFirst() != mine)) {
				if (left <= 0) {
					throw timedOut(mine);
				}
				left = mine.turn.awaitNanos(left);
			}
			if (mine.state == State.DONE) {
				mine.throwIfFailed();
				return;
			}
			group = takeGroup();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw timedOut(mine);
		}
		finally {
			lock.unlock();
		}
		write(group);
		mine.throwIfFailed();
	}

	/** How many grants are waiting for a transaction to take them (not those being written). */
	int waiting() {
		lock.lock();
		try {
			return (int) queue.stream().filter(each -> each.state == State.QUEUED).count();
		}
		finally {
			lock.unlock();
		}
	}

	/** With the lock held: the oldest waiting grants, marked as being written. */
	private List<Pending> takeGroup() {
		List<Pending> group = new ArrayList<>(Math.min(queue.size(), MOST_GRANTS));
		for (Pending each : queue) {
			if (group.size() == MOST_GRANTS) {
				break;
			}
			each.state = State.WRITING;
			group.add(each);
		}
		return group;
	}

	/** Gives up on a grant: out of the queue if nobody is writing it yet, so nothing of it will be. */
	private DataAccessResourceFailureException timedOut(Pending mine) {
		if (mine.state == State.QUEUED) {
			queue.remove(mine);
		}
		return new DataAccessResourceFailureException(
				"The token store did not commit the new grant within " + WAIT.toSeconds() + " s");
	}

	/** Writes the group, outside the lock, then releases its requests and wakes whoever writes next. */
	private void write(List<Pending> group) {
		try {
			insert(group);
		}
		catch (RuntimeException | Error ex) {
			// not a database error (insert gives each grant its own): none of the group is known to be committed
			group.forEach(each -> each.failure = each.failure == null ? ex : each.failure);
		}
		finally {
			lock.lock();
			try {
				for (Pending each : group) {
					each.state = State.DONE;
					queue.remove(each);
					each.turn.signal();
				}
				Pending next = queue.peekFirst();
				if (next != null && committer == null) {
					next.turn.signal();
				}
			}
			finally {
				lock.unlock();
			}
		}
	}

	private void insert(List<Pending> group) {
		try {
			transactions.executeWithoutResult(status -> insertAll(group));
			groups.record(group.size());
			return;
		}
		catch (RuntimeException ex) {
			// nothing of the group was committed: a rotation is saved again by its own request, on its own
			group.forEach(each -> each.claimed = false);
			if (group.size() == 1) {
				group.get(0).failure = group.get(0).grant == null ? null : ex;
				return;
			}
			// the exception's class only: a database's message may quote the rows' values
			logger.debug("A group of " + group.size() + " new grants failed (" + ex.getClass().getSimpleName()
					+ "); committing them one by one");
		}
		for (Pending each : group) {
			NewGrantRows grant = each.grant;
			if (grant == null) {
				continue;
			}
			try {
				transactions.executeWithoutResult(status -> repository.insertNewGrants(List.of(grant)));
				groups.record(1);
			}
			catch (RuntimeException ex) {
				each.failure = ex;
			}
		}
	}

	/** In the group's transaction: the new grants' rows, then the rotations (claims, then their new tokens). */
	private void insertAll(List<Pending> group) {
		List<NewGrantRows> grants = group.stream().map(each -> each.grant).filter(Objects::nonNull).toList();
		if (!grants.isEmpty()) {
			repository.insertNewGrants(grants);
		}
		List<Pending> rotations = group.stream().filter(each -> each.rotation != null).toList();
		if (!rotations.isEmpty()) {
			boolean[] claimed = repository.rotate(rotations.stream().map(each -> each.rotation).toList());
			for (int i = 0; i < claimed.length; i++) {
				rotations.get(i).claimed = claimed[i];
			}
		}
	}

	/** The {@code thread} mode's committer: writes whatever is queued, as soon as something is. */
	private void commitWhileRunning() {
		while (!stopped) {
			List<Pending> group;
			lock.lock();
			try {
				while (queue.isEmpty() && !stopped) {
					queued.await();
				}
				if (stopped) {
					return;
				}
				group = takeGroup();
			}
			catch (InterruptedException ex) {
				return;
			}
			finally {
				lock.unlock();
			}
			write(group);
		}
	}

	@Override
	public void destroy() {
		stopped = true;
		if (committer != null) {
			committer.interrupt();
			try {
				committer.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private enum State {
		QUEUED, WRITING, DONE
	}

	/**
	 * A request's grant in the queue: a new grant or a rotation; {@link #turn} wakes it when it is committed or when
	 * it is to write.
	 */
	private static final class Pending {

		private final @Nullable NewGrantRows grant;

		private final @Nullable RotationRows rotation;

		private final Condition turn;

		private State state = State.QUEUED;

		private @Nullable Throwable failure;

		/** A rotation's outcome: its token claimed and its rows committed. */
		private boolean claimed;

		Pending(@Nullable NewGrantRows grant, @Nullable RotationRows rotation, Condition turn) {
			this.grant = grant;
			this.rotation = rotation;
			this.turn = turn;
		}

		void throwIfFailed() {
			Throwable failed = failure;
			if (failed instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (failed instanceof Error error) {
				throw error;
			}
		}

	}

}
