package io.gatehouse.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A start-up check refused a Gatehouse setting. The contract for such checks (for example
 * {@code io.gatehouse.accounts.AdminSettingsValidator}): throw an {@link IllegalStateException} whose message starts
 * with the environment variable to fix, such as {@code "GATEHOUSE_ADMIN_PASSWORD is not acceptable: ..."}. The
 * message becomes the description, without the trace of the bean that ran the check.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatehouseSettingFailureAnalyzer implements FailureAnalyzer {

	private static final Pattern SETTING = Pattern.compile("^(GATEHOUSE_[A-Z0-9_]+)\\b");

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
			if (cause instanceof IllegalStateException && cause.getMessage() != null) {
				Matcher setting = SETTING.matcher(cause.getMessage());
				if (setting.find()) {
					String variable = setting.group(1);
					return new FailureAnalysis(cause.getMessage(), "Fix " + variable + " (property "
							+ StartupSettings.propertyOf(variable) + ") and start Gatehouse again.", failure);
				}
			}
		}
		return null;
	}

}
