package io.gatehouse.provisioning;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/**
 * What applying a configuration document did, or with a dry run would do: {@code result} is {@code unchanged} when
 * nothing was (or would be) written, else {@code changed}; {@code changes} lists each object created, updated or
 * deleted, with the fields that change; objects left as they were are only counted.
 */
@JsonPropertyOrder({ "dry_run", "result", "created", "updated", "deleted", "unchanged", "changes" })
@Schema(name = "ConfigResult")
record ConfigReport(@JsonProperty("dry_run") boolean dryRun,
		@Schema(description = "changed or unchanged") String result, int created, int updated, int deleted,
		int unchanged, List<Change> changes) {

	static final String CHANGED = "changed";

	static final String UNCHANGED = "unchanged";

	/**
	 * One object's change.
	 *
	 * @param kind {@code client} (with its service account) or {@code group}
	 * @param key the client's {@code client_id}, or the group's name
	 * @param action {@code created}, {@code updated} or {@code deleted}
	 * @param secret a new confidential client's secret, shown this once; never in a dry run, nor when the document
	 *     gave its hash
	 */
	@JsonPropertyOrder({ "kind", "key", "name", "action", "fields", "secret" })
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "ConfigChange")
	record Change(String kind, String key, String name, String action, List<String> fields,
			@Schema(description = "A new client's secret, shown once") @Nullable String secret) {

		@Override
		public String toString() {
			return "Change[" + kind + " " + key + " " + action + " " + fields + "]";
		}

	}

}
