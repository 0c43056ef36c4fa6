package io.gatehouse.signin;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.stereotype.Component;

/**
 * Deletes expired console sessions (Spring Session JDBC), every minute on one node at a time (the
 * {@code session-cleanup} lock) instead of Spring Session's own job, which every node would run at the same second:
 * one range delete on the expiry index ({@code spring_session_ix2}), the attributes going with it by cascade. An
 * expired session is refused whether or not it was deleted yet, so a skipped run costs only space.
 */
@Component
class SessionCleanup {

	private final JdbcIndexedSessionRepository sessions;

	SessionCleanup(JdbcIndexedSessionRepository sessions) {
		this.sessions = sessions;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
	@SchedulerLock(name = "session-cleanup", lockAtLeastFor = "PT50S", lockAtMostFor = "PT5M")
	public void deleteExpired() {
		sessions.cleanUpExpiredSessions();
	}

}
