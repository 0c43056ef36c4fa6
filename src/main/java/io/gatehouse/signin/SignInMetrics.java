package io.gatehouse.signin;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts password sign-ins by where they came from and how they ended ({@code gatehouse.sign.ins}, tags
 * {@code channel} and {@code result}): six counters registered up front, so a dashboard shows zeros rather than
 * gaps, and no tag carries a user name.
 */
@Component
public final class SignInMetrics {

	/** Where a password was presented. */
	public enum Channel {

		/** The console's login form. */
		CONSOLE,

		/** The OAuth password grant at the token endpoint. */
		PASSWORD_GRANT

	}

	private enum Result {

		SUCCESS, FAILURE, THROTTLED

	}

	private final Map<Channel, Map<Result, Counter>> counters = new EnumMap<>(Channel.class);

	SignInMetrics(MeterRegistry registry) {
		for (Channel channel : Channel.values()) {
			Map<Result, Counter> byResult = new EnumMap<>(Result.class);
			for (Result result : Result.values()) {
				byResult.put(result, Counter.builder("gatehouse.sign.ins")
					.description("Password sign-ins, by channel and result")
					.tag("channel", channel.name().toLowerCase())
					.tag("result", result.name().toLowerCase())
					.register(registry));
			}
			counters.put(channel, byResult);
		}
	}

	public void succeeded(Channel channel) {
		counters.get(channel).get(Result.SUCCESS).increment();
	}

	/** A wrong username or password. */
	public void failed(Channel channel) {
		counters.get(channel).get(Result.FAILURE).increment();
	}

	/** Refused without checking the password, because the username is being throttled. */
	public void throttled(Channel channel) {
		counters.get(channel).get(Result.THROTTLED).increment();
	}

}
