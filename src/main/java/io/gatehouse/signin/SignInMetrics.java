package io.gatehouse.signin;

import java.util.EnumMap;
import java.util.Map;

import io.gatehouse.signin.SignInAttempt.Channel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts password sign-ins by where they came from and how they ended ({@code gatehouse.sign.ins}, tags
 * {@code channel} and {@code result}): six counters registered up front, so a dashboard shows zeros rather than
 * gaps, and no tag carries a user name.
 */
@Component
final class SignInMetrics {

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

	void succeeded(Channel channel) {
		counters.get(channel).get(Result.SUCCESS).increment();
	}

	/** A wrong username or password. */
	void failed(Channel channel) {
		counters.get(channel).get(Result.FAILURE).increment();
	}

	/** Refused without checking the password, because the username is being throttled. */
	void throttled(Channel channel) {
		counters.get(channel).get(Result.THROTTLED).increment();
	}

}
