package io.gatehouse.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookUrlsTests {

	final WebhookUrls strict = new WebhookUrls(false, InetAddress::getAllByName);

	final WebhookUrls privateAllowed = new WebhookUrls(true, InetAddress::getAllByName);

	@ParameterizedTest
	@ValueSource(strings = { "https://10.0.0.5/hook", "https://172.16.0.1/hook", "https://192.168.1.1/hook",
			"https://127.0.0.1/hook", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/hook",
			"https://0.0.0.0/hook", "https://[::1]/hook", "https://[fd00::1]/hook", "https://[fe80::1]/hook",
			"https://[::ffff:10.0.0.1]/hook", "https://224.0.0.1/hook" })
	void problemWithWhenPrivateLoopbackOrLinkLocalAddressThenRefused(String url) {
		assertThat(strict.problemWith(url)).contains("private, loopback or link-local");
	}

	@Test
	void problemWithWhenNameResolvesToAPrivateAddressThenRefused() {
		WebhookUrls urls = new WebhookUrls(false,
				host -> new InetAddress[] { InetAddress.getByName("93.184.215.14"),
						InetAddress.getByName("10.1.2.3") });

		assertThat(urls.problemWith("https://rebinding.example/hook")).contains("private");
	}

	@Test
	void problemWithWhenHttpsToPublicAddressThenNone() {
		assertThat(strict.problemWith("https://93.184.215.14/hook?x=1")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://93.184.215.14/hook", "ftp://93.184.215.14/x", "/relative",
			"https://user:pw@93.184.215.14/", "https://93.184.215.14/#frag", "not a url" })
	void problemWithWhenNotAPlainHttpsUrlThenRefused(String url) {
		assertThat(strict.problemWith(url)).isNotNull();
	}

	@Test
	void problemWithWhenHostDoesNotResolveThenRefused() {
		WebhookUrls urls = new WebhookUrls(false, host -> {
			throw new UnknownHostException(host);
		});

		assertThat(urls.problemWith("https://nowhere.invalid/hook")).isEqualTo("The URL's host does not resolve.");
	}

	@Test
	void problemWithWhenLoopbackHttpThenRefusedUnlessPrivateTargetsAllowed() {
		assertThat(strict.problemWith("http://127.0.0.1:8081/hook")).isNotNull();
		assertThat(privateAllowed.problemWith("http://127.0.0.1:8081/hook")).isNull();
		assertThat(privateAllowed.problemWith("http://10.0.0.1/hook")).isNotNull();
	}

}
