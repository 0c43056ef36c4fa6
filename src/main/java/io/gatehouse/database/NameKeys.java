package io.gatehouse.database;

import java.util.Locale;

/**
 * The normalised key behind case-insensitive uniqueness: a unique index on a {@code name_key} column that holds
 * {@code lower(trim(name))}, computed here in Java so that H2 and PostgreSQL compare the same value.
 */
public final class NameKeys {

	private NameKeys() {
	}

	public static String of(String name) {
		return name.trim().toLowerCase(Locale.ROOT);
	}

}
