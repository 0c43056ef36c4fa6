package io.gatehouse.config;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.util.StringUtils;

/**
 * Reads the CSRF token as Spring's {@code csrf.spa()} does: from the {@code X-XSRF-TOKEN} header as it is (a script
 * copied it from the cookie), or from the {@code _csrf} form field masked against BREACH (the console's forms). Unlike
 * {@code spa()}'s handler it leaves the token unloaded until something needs it; with the token kept in the session,
 * loading it on every request would make a session for every bearer and anonymous request.
 */
final class SessionCsrfTokenRequestHandler implements CsrfTokenRequestHandler {

	private final CsrfTokenRequestAttributeHandler plain = new CsrfTokenRequestAttributeHandler();

	private final CsrfTokenRequestAttributeHandler masked = new XorCsrfTokenRequestAttributeHandler();

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
		masked.handle(request, response, token);
	}

	@Override
	public @Nullable String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
		String header = request.getHeader(token.getHeaderName());
		return (StringUtils.hasText(header) ? plain : masked).resolveCsrfTokenValue(request, token);
	}

}
