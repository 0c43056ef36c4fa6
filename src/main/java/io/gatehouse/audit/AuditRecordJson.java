package io.gatehouse.audit;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/** An audit record as the REST API shows it. */
public record AuditRecordJson(long id, @JsonProperty("occurred_at") Instant occurredAt,
		@Schema(description = "subject_type.action, such as auth_client.updated or sign_in.failed") String type,
		@JsonProperty("actor_id") @Schema(description = "The account that acted; null for the system or a client")
		@Nullable Long actorId,
		@Schema(description = "Who acted: a username, \"system\", \"client:<client id>\", or for "
				+ "sign-in events the account the attempt named (\"anonymous\" when it named none)") String actor,
		@JsonProperty("subject_type") String subjectType, @JsonProperty("subject_id") String subjectId,
		@JsonProperty("subject_name") String subjectName,
		@JsonProperty("client_id") @Schema(description = "The auth client the event concerns, if any")
		@Nullable String clientId,
		@Schema(description = "Each field from what to what, as display text; never a secret")
		List<FieldChange> changes) {

	public static AuditRecordJson of(AuditRecord record) {
		return new AuditRecordJson(record.id(), record.occurredAt(), record.type(), record.actorId(),
				record.actorUsername(), record.subjectType(), record.subjectId(), record.subjectName(),
				record.clientId(), record.changes());
	}

}
