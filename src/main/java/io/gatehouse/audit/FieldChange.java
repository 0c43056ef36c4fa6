package io.gatehouse.audit;

import org.jspecify.annotations.Nullable;

/** One field's change, as display text (null for "absent"). Never carries a secret value. */
public record FieldChange(String field, @Nullable String from, @Nullable String to) {

	/** Adds a change to the list only when the two values differ. */
	public static void addIfChanged(java.util.List<FieldChange> changes, String field, @Nullable Object from,
			@Nullable Object to) {
		String before = from == null ? null : from.toString();
		String after = to == null ? null : to.toString();
		if (!java.util.Objects.equals(before, after)) {
			changes.add(new FieldChange(field, before, after));
		}
	}

}
