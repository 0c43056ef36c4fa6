package io.gatehouse.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one way the server calls another host over HTTP. Before anything is sent: the URL is https (plain http only to
 * a loopback host, and only with private targets allowed), carries no credentials, and every address its host
 * resolves to is one outbound calls may reach (see {@link TargetAddresses}). The connection goes to those very
 * addresses, with the name in the Host header and in TLS (SNI and certificate check). Redirects are returned, never
 * followed; connect and read timeouts and the request's response size limit hold. Every failure is an
 * {@link OutboundException}.
 */
@Component
public final class OutboundHttp implements DisposableBean {

	private final boolean allowPrivate;

	private final Duration readTimeout;

	private final CloseableHttpClient client;

	@Autowired
	OutboundHttp(OutboundSettings settings) {
		this(settings, InetAddress::getAllByName);
	}

	OutboundHttp(OutboundSettings settings, CheckingDnsResolver.HostLookup lookup) {
		this.allowPrivate = settings.allowPrivate();
		this.readTimeout = settings.readTimeout();
		Timeout connect = Timeout.of(settings.connectTimeout());
		Timeout read = Timeout.of(settings.readTimeout());
		this.client = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new CheckingDnsResolver(lookup, settings.allowPrivate()))
				.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(read).build())
				.setDefaultConnectionConfig(
						ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(read).build())
				.setMaxConnTotal(50)
				.setMaxConnPerRoute(5)
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setConnectionRequestTimeout(connect)
				.setResponseTimeout(read)
				.setRedirectsEnabled(false)
				.setAuthenticationEnabled(false)
				.setProtocolUpgradeEnabled(false)
				.build())
			// no proxy from system properties, no cookies, no retries, no gzip (the size limit counts what is read)
			.disableRedirectHandling()
			.disableCookieManagement()
			.disableAutomaticRetries()
			.disableContentCompression()
			.disableAuthCaching()
			.setUserAgent("Gatehouse")
			.build();
	}

	/**
	 * Sends the request and reads the whole response.
	 *
	 * @throws OutboundException when the URL or its addresses are refused (nothing sent), on a timeout, a body over
	 *         the limit, or a failed connection
	 */
	public OutboundResponse send(OutboundRequest request) {
		URI url = request.url();
		String host = checkUrl(url);
		HttpUriRequestBase http = new HttpUriRequestBase(request.method(), url);
		request.headers().forEach(http::addHeader);
		byte[] body = request.body();
		String contentType = request.contentType();
		if (body != null && contentType != null) {
			http.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
		}
		try {
			return this.client.execute(http, response -> read(http, response, host, request.maxResponseBytes()));
		}
		catch (CheckingDnsResolver.RefusedHostException refused) {
			throw new OutboundException(OutboundException.Reason.REFUSED, refused.getMessage());
		}
		catch (UnknownHostException unknown) {
			throw failed(host, "the host is unknown");
		}
		catch (InterruptedIOException timeout) {
			throw new OutboundException(OutboundException.Reason.TIMEOUT,
					host + " did not answer in time (connect or read timeout)");
		}
		catch (HttpHostConnectException refused) {
			throw failed(host, "the connection was refused");
		}
		catch (SSLException tls) {
			throw failed(host, "TLS failed (its certificate is not trusted or not for this name)");
		}
		catch (ClientProtocolException protocol) {
			throw failed(host, "the answer is not valid HTTP");
		}
		catch (IOException io) {
			throw failed(host, "the connection failed (" + io.getClass().getSimpleName() + ")");
		}
	}

	private String checkUrl(URI url) {
		String host = url.getHost();
		if (!url.isAbsolute() || host == null || host.isEmpty()) {
			throw new OutboundException(OutboundException.Reason.REFUSED, "the URL has no host");
		}
		if (url.getRawUserInfo() != null) {
			throw new OutboundException(OutboundException.Reason.REFUSED,
					host + ": a URL with credentials in it is not called");
		}
		String scheme = url.getScheme().toLowerCase(Locale.ROOT);
		if (scheme.equals("https")) {
			return host;
		}
		if (!scheme.equals("http")) {
			throw new OutboundException(OutboundException.Reason.REFUSED, host + ": outbound calls use https");
		}
		if (!loopbackName(host)) {
			throw new OutboundException(OutboundException.Reason.REFUSED,
					host + ": outbound calls use https; plain http only to loopback");
		}
		if (!this.allowPrivate) {
			throw new OutboundException(OutboundException.Reason.REFUSED,
					host + ": plain http to loopback only with GATEHOUSE_OUTBOUND_ALLOW_PRIVATE=true");
		}
		return host;
	}

	/** {@code localhost} or a loopback literal, without a lookup; the resolver then checks what it resolves to. */
	private static boolean loopbackName(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.equals("localhost") || name.endsWith(".localhost")) {
			return true;
		}
		if (!name.matches("[0-9.]+|\\[[0-9a-f:.]+\\]")) {
			return false;
		}
		try {
			return InetAddress.getByName(name).isLoopbackAddress();
		}
		catch (UnknownHostException notALiteral) {
			return false;
		}
	}

	private OutboundResponse read(HttpUriRequestBase request, ClassicHttpResponse response, String host,
			int maxBytes) throws IOException {
		Map<String, String> headers = new HashMap<>();
		for (Header header : response.getHeaders()) {
			headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
		}
		HttpEntity entity = response.getEntity();
		byte[] body = entity == null ? new byte[0] : readBody(request, entity, host, maxBytes);
		return new OutboundResponse(response.getCode(), headers, body);
	}

	/**
	 * Reads the body up to the limit. Giving up cancels the request, which drops the connection: closing the response
	 * would otherwise read the rest of the body to reuse the connection, as long as the server cares to send it.
	 */
	private byte[] readBody(HttpUriRequestBase request, HttpEntity entity, String host, int maxBytes)
			throws IOException {
		if (entity.getContentLength() > maxBytes) {
			request.cancel();
			throw tooLarge(host, maxBytes);
		}
		// the socket timeout bounds each read; this bounds the whole body, so a server sending a byte at a time
		// cannot hold the call open
		long deadline = System.nanoTime() + this.readTimeout.toNanos();
		byte[] buffer = new byte[Math.min(maxBytes + 1, 8192)];
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		try (InputStream in = entity.getContent()) {
			int n;
			while ((n = in.read(buffer)) != -1) {
				body.write(buffer, 0, n);
				if (body.size() > maxBytes) {
					request.cancel();
					throw tooLarge(host, maxBytes);
				}
				if (System.nanoTime() - deadline > 0) {
					request.cancel();
					throw new OutboundException(OutboundException.Reason.TIMEOUT, host + " did not send its answer "
							+ "within " + this.readTimeout.toMillis() + " ms");
				}
			}
		}
		return body.toByteArray();
	}

	private static OutboundException tooLarge(String host, int maxBytes) {
		return new OutboundException(OutboundException.Reason.TOO_LARGE,
				host + " answered with more than " + maxBytes + " bytes, the limit of this call");
	}

	private static OutboundException failed(String host, String what) {
		return new OutboundException(OutboundException.Reason.FAILED, host + ": " + what);
	}

	@Override
	public void destroy() {
		this.client.close(CloseMode.IMMEDIATE);
	}

}
