package io.gatehouse.config;

/** Helpers shared by the start-up failure analyzers. */
final class StartupSettings {

	private StartupSettings() {
	}

	/**
	 * A JDBC URL fit to print: without its parameters ({@code ?...} for PostgreSQL, {@code ;...} for H2), which may
	 * carry a password.
	 */
	static String displayUrl(String url) {
		if (url.isBlank()) {
			return "(no SPRING_DATASOURCE_URL set)";
		}
		int end = url.length();
		for (char separator : new char[] { '?', ';' }) {
			int at = url.indexOf(separator);
			if (at >= 0 && at < end) {
				end = at;
			}
		}
		return url.substring(0, end);
	}

	/** {@code GATEHOUSE_ADMIN_PASSWORD} -> {@code gatehouse.admin.password}. */
	static String propertyOf(String environmentVariable) {
		return environmentVariable.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
	}

}
