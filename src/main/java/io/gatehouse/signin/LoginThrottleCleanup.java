package io.gatehouse.signin;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets the failed logins whose window is over, every five minutes on one node at a time (the
 * {@code login-throttle-cleanup} lock): one indexed range delete. A row older than the window no longer throttles
 * anyone, so a late or skipped run changes nothing but the table's size.
 */
@Component
class LoginThrottleCleanup {

	private static final Log logger = LogFactory.getLog(LoginThrottleCleanup.class);

	private final LoginThrottle throttle;

	LoginThrottleCleanup(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT5M")
	@SchedulerLock(name = "login-throttle-cleanup", lockAtLeastFor = "PT4M", lockAtMostFor = "PT4M")
	public void forgetExpired() {
		int forgotten = throttle.forgetExpired();
		if (forgotten > 0) {
			logger.debug("Forgot the failed logins of " + forgotten + " username(s)");
		}
	}

}
