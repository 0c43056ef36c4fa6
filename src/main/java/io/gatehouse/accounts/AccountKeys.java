package io.gatehouse.accounts;

import java.util.Locale;

/** Normalised keys behind case-insensitive uniqueness: a unique index on {@code lower(trim(name))}. */
final class AccountKeys {

	private AccountKeys() {
	}

	static String of(String name) {
		return name.trim().toLowerCase(Locale.ROOT);
	}

}
