package io.gatehouse.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.gatehouse.accounts.AccountService;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.oauth.ActiveTokens;
import io.gatehouse.signin.Permissions;
import io.gatehouse.signing.SigningKeyStatus;
import io.gatehouse.usage.ClientUsage;
import io.gatehouse.usage.TokenUsage;
import io.gatehouse.usage.UsageChart;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The home page. Each tile is read only when the user holds its permission, on the server: clients, active tokens,
 * tokens issued and the busiest clients with {@code view-auth_clients}; users with {@code view-users}; sign-in
 * failures and the signing key with {@code view-audit} (both are audited events). Everyone sees the links to their
 * profile and the API documentation. Every figure is an indexed aggregate or a number in memory: no read per client.
 */
@Controller
class DashboardController {

	static final int TOP_CLIENTS = 5;

	private final AuthClientService clients;

	private final AccountService accounts;

	private final ActiveTokens activeTokens;

	private final TokenUsage usage;

	private final AuditLog audit;

	private final SigningKeyStatus signingKey;

	DashboardController(AuthClientService clients, AccountService accounts, ActiveTokens activeTokens, TokenUsage usage,
			AuditLog audit, SigningKeyStatus signingKey) {
		this.clients = clients;
		this.accounts = accounts;
		this.activeTokens = activeTokens;
		this.usage = usage;
		this.audit = audit;
		this.signingKey = signingKey;
	}

	/** A row of the busiest clients: its name, null when it was deleted since. */
	record TopClient(String id, String name, long tokens, boolean live) {
	}

	@GetMapping("/")
	String home(Authentication authentication, Model model) {
		Set<String> authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
			.collect(Collectors.toSet());
		if (authorities.contains(Permissions.VIEW_AUTH_CLIENTS)) {
			model.addAttribute("clientCount", clients.countLive());
			model.addAttribute("accessTokens", activeTokens.accessTokens());
			model.addAttribute("refreshTokens", activeTokens.refreshTokens());
			var hours = usage.lastHours(24);
			var days = usage.lastDays(30);
			model.addAttribute("issued24h", hours.total());
			model.addAttribute("issued30d", days.total());
			model.addAttribute("chart24h", UsageChart.svg("usage-24h", "Tokens issued, last 24 hours", hours));
			model.addAttribute("chart30d", UsageChart.svg("usage-30d", "Tokens issued, last 30 days", days));
			model.addAttribute("topClients", topClients());
		}
		if (authorities.contains(Permissions.VIEW_USERS)) {
			model.addAttribute("userCount", accounts.countPeople());
		}
		if (authorities.contains(Permissions.VIEW_AUDIT)) {
			model.addAttribute("signIns", audit.signInFailuresSince(Instant.now().minus(Duration.ofHours(24))));
			signingKey.activeKey().ifPresent(key -> {
				model.addAttribute("signingKey", key);
				model.addAttribute("signingKeyAge", days(Duration.between(key.signingSince(), Instant.now())));
				model.addAttribute("nextRotationIn", days(Duration.between(Instant.now(), key.nextRotation())));
			});
		}
		return "home";
	}

	private List<TopClient> topClients() {
		List<ClientUsage> top = usage.topClients(30, TOP_CLIENTS);
		Map<String, AuthClient> live = clients.liveAmong(top.stream().map(ClientUsage::clientId).toList()).stream()
			.collect(Collectors.toMap(AuthClient::id, Function.identity()));
		return top.stream().map(row -> {
			AuthClient client = live.get(row.clientId());
			return new TopClient(row.clientId(), client == null ? "(deleted client)" : client.name(), row.tokens(),
					client != null);
		}).toList();
	}

	/** "3 days", "5 hours", "overdue": how long, for a person. */
	static String days(Duration duration) {
		if (duration.isNegative()) {
			return "overdue";
		}
		long days = duration.toDays();
		if (days >= 1) {
			return days + (days == 1 ? " day" : " days");
		}
		long hours = duration.toHours();
		return hours + (hours == 1 ? " hour" : " hours");
	}

}
