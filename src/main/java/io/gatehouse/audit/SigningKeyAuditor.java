package io.gatehouse.audit;

import java.util.ArrayList;
import java.util.List;

import io.gatehouse.signing.SigningKeyCreated;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Records each new token signing key (a rotation, or the first key), in the transaction that creates it. */
@Component
class SigningKeyAuditor {

	private final AuditLog log;

	SigningKeyAuditor(AuditLog log) {
		this.log = log;
	}

	@EventListener
	void on(SigningKeyCreated key) {
		List<FieldChange> changes = new ArrayList<>();
		changes.add(new FieldChange("algorithm", null, key.algorithm()));
		changes.add(new FieldChange("signs_from", null, key.activatesAt().toString()));
		if (key.replacesKid() != null) {
			changes.add(new FieldChange("replaces", null, key.replacesKid()));
		}
		log.record(new AuditableChange(null, AuditTrail.SYSTEM, "created", AuditEventTypes.SIGNING_KEY, key.kid(),
				key.kid(), changes));
	}

}
