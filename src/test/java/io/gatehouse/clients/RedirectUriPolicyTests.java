package io.gatehouse.clients;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectUriPolicyTests {

	@ParameterizedTest
	@ValueSource(strings = { "https://app.example.com/callback", "https://app.example.com:8443/oauth/cb?tenant=a&x=1",
			"https://xn--bcher-kva.example/cb", "http://127.0.0.1/cb", "http://127.0.0.1:51234/callback",
			"http://[::1]:8080/cb", "https://app.example.com",
			"https://app.example.com/a%20b", "https://203.0.113.7/cb" })
	void problemWithWhenSafeThenNone(String uri) {
		assertThat(RedirectUriPolicy.problemWith(uri)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = {
			// other schemes, in any letter case
			"javascript:alert(1)", "JavaScript:alert(document.cookie)", "JAVASCRIPT://example.com/%0aalert(1)",
			"data:text/html,<script>alert(1)</script>", "DaTa:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
			"file:///etc/passwd", "ftp://example.com/cb", "myapp://callback", "HTTPS://app.example.com/cb",
			// not absolute, or no host
			"/relative/callback", "//evil.example/cb", "https:///cb", "https:cb", "",
			// plain http to a non-loopback host, including localhost look-alikes
			"http://app.example.com/cb", "http://localhost:3000/cb", "http://localhost.evil.test/cb",
					"http://127.0.0.1.evil.test/cb",
			"http://localhost@evil.test/cb", "http://evil.test/localhost", "http://127.0.0.2.nip.io/cb",
			// userinfo tricks
			"https://app.example.com@evil.test/cb", "https://user:pass@app.example.com/cb",
			"https://app.example.com%25@evil.test/cb", "https://app.example.com%40evil.test/cb",
			"https://app.example.com\\@evil.test/cb",
			// wildcards
			"https://*.example.com/cb", "https://app.example.com/*",
			// fragments
			"https://app.example.com/cb#", "https://app.example.com/cb#frag",
			// dot segments, plain, encoded and behind a matrix parameter
			"https://app.example.com/cb/../admin", "https://app.example.com/cb/..;/admin",
			"https://app.example.com/cb/%2e%2e/admin", "https://app.example.com/cb/%2E./admin",
			"https://app.example.com/./cb",
			// whitespace, control and non-ASCII characters
			" https://app.example.com/cb", "https://app.example.com/c b", "https://app.example.com/cb\t",
			"https://app.example.com/cb\r\nLocation: https://evil.test", "https://аpp.example.com/cb" })
	void problemWithWhenHostileThenRefused(String uri) {
		assertThat(RedirectUriPolicy.problemWith(uri)).as(uri).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 2001, 5000 })
	void problemWithWhenTooLongThenRefused(int length) {
		String uri = "https://app.example.com/" + "a".repeat(length - 24);
		assertThat(uri).hasSize(length);
		assertThat(RedirectUriPolicy.problemWith(uri)).contains("2000");
	}

}
