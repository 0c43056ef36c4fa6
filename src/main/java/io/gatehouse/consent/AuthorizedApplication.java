package io.gatehouse.consent;

import java.time.Instant;
import java.util.List;

/** A client the user consented to: which scopes, and when consent was last given. */
record AuthorizedApplication(String clientId, String clientName, List<String> scopes, Instant grantedAt) {
}
