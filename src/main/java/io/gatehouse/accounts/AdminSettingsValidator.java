package io.gatehouse.accounts;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Refuses to start with a first-admin setting that could never sign in, naming the variable to fix. */
@Component
class AdminSettingsValidator implements InitializingBean {

	private final String username;

	private final String password;

	AdminSettingsValidator(@Value("${gatehouse.admin.username:admin}") String username,
			@Value("${gatehouse.admin.password:}") String password) {
		this.username = username;
		this.password = password;
	}

	@Override
	public void afterPropertiesSet() {
		if (username.isBlank() || username.trim().length() > 255) {
			throw new IllegalStateException(
					"GATEHOUSE_ADMIN_USERNAME must be between 1 and 255 characters (it is used for the first "
							+ "super admin).");
		}
		if (!password.isEmpty()) {
			String problem = PasswordRules.problemWith(password);
			if (problem != null) {
				throw new IllegalStateException("GATEHOUSE_ADMIN_PASSWORD is not acceptable: " + problem);
			}
		}
	}

}
