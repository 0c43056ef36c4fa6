package io.gatehouse.signing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs and verifies an RFC 9068 access token with Nimbus, one thread, per algorithm, and prints operations per second
 * of CPU time, that is per core. Run with {@code bench/jwt-algorithms.sh}; not a test, so {@code mvn verify} never runs
 * it. Arguments:
 * warm-up and measured seconds per operation (default 3 and 5).
 */
final class JwtAlgorithmBenchmark {

	private JwtAlgorithmBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Duration warmUp = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 3);
		Duration measure = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
		System.out.printf("Java %s (%s), %d cores available; one thread; per second of thread CPU time; warm-up %ds, "
				+ "measured %ds each%n",
				System.getProperty("java.version"), System.getProperty("java.vm.name"),
				Runtime.getRuntime().availableProcessors(), warmUp.toSeconds(), measure.toSeconds());
		System.out.printf("%-26s %12s %12s %8s%n", "algorithm", "signs/s", "verifies/s", "JWT len");
		RSAKey rsa2048 = new RSAKeyGenerator(2048).keyID("rsa2048").generate();
		RSAKey rsa3072 = new RSAKeyGenerator(3072).keyID("rsa3072").generate();
		ECKey p256 = new ECKeyGenerator(Curve.P_256).keyID("p256").generate();
		List<Case> cases = List.of(
				new Case("RS256 (RSA 2048)", JWSAlgorithm.RS256, new RSASSASigner(rsa2048),
						new RSASSAVerifier(rsa2048)),
				new Case("RS256 (RSA 3072)", JWSAlgorithm.RS256, new RSASSASigner(rsa3072),
						new RSASSAVerifier(rsa3072)),
				new Case("PS256 (RSA 2048)", JWSAlgorithm.PS256, new RSASSASigner(rsa2048),
						new RSASSAVerifier(rsa2048)),
				new Case("ES256 (P-256)", JWSAlgorithm.ES256, new ECDSASigner(p256), new ECDSAVerifier(p256)));
		for (Case c : cases) {
			String token = sign(c);
			double signs = rate(warmUp, measure, () -> sign(c));
			double verifies = rate(warmUp, measure, () -> {
				if (!SignedJWT.parse(token).verify(c.verifier())) {
					throw new IllegalStateException("did not verify");
				}
			});
			System.out.printf("%-26s %,12.0f %,12.0f %8d%n", c.name(), signs, verifies, token.length());
		}
		ed25519(warmUp, measure);
	}

	/** Nimbus signs Ed25519 only with Google Tink; for comparison, the JDK's own Ed25519 on the same input. */
	private static void ed25519(Duration warmUp, Duration measure) throws Exception {
		KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType("at+jwt")).build();
		byte[] input = (header.toBase64URL() + "." + Base64URL.encode(claims().toString()))
			.getBytes(StandardCharsets.US_ASCII);
		byte[] signature = ed25519Sign(pair, input);
		double signs = rate(warmUp, measure, () -> ed25519Sign(pair, input));
		double verifies = rate(warmUp, measure, () -> {
			Signature verifier = Signature.getInstance("Ed25519");
			verifier.initVerify(pair.getPublic());
			verifier.update(input);
			if (!verifier.verify(signature)) {
				throw new IllegalStateException("did not verify");
			}
		});
		System.out.printf("%-26s %,12.0f %,12.0f %8s%n", "EdDSA (JDK, not Nimbus)", signs, verifies, "-");
	}

	private static byte[] ed25519Sign(KeyPair pair, byte[] input) throws Exception {
		Signature signer = Signature.getInstance("Ed25519");
		signer.initSign(pair.getPrivate());
		signer.update(input);
		return signer.sign();
	}

	private static String sign(Case c) throws Exception {
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(c.algorithm()).type(new JOSEObjectType("at+jwt")).keyID("k1").build(), claims());
		jwt.sign(c.signer());
		return jwt.serialize();
	}

	private static JWTClaimsSet claims() {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer("https://gatehouse.example")
			.subject("42")
			.audience("https://api.gatehouse.example")
			.claim("client_id", "5b0c8f0e-2f7a-4b59-9f43-1d2a3c4b5e6f")
			.claim("scope", "api")
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(600)))
			.build();
	}

	private static double rate(Duration warmUp, Duration measure, Operation operation) throws Exception {
		run(warmUp, operation);
		return run(measure, operation);
	}

	/**
	 * Operations per second of this thread's CPU time, not of wall time: on a shared machine other processes take
	 * turns on the cores, and that must not count against the algorithm.
	 */
	private static double run(Duration duration, Operation operation) throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuStart = threads.getCurrentThreadCpuTime();
		long end = System.nanoTime() + duration.toNanos();
		long count = 0;
		do {
			operation.run();
			count++;
		}
		while (System.nanoTime() < end);
		return count * 1e9 / (threads.getCurrentThreadCpuTime() - cpuStart);
	}

	private record Case(String name, JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier) {
	}

	@FunctionalInterface
	private interface Operation {

		void run() throws Exception;

	}

}
