import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.UUID;
import java.util.stream.IntStream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Writes COUNT DPoP proofs (RFC 9449 4.2) for {@code POST HTU}, one a line, for bench/compare.sh's cc-dpop workload:
 * wrk cannot sign, so the proofs are made just before each run and bench/wrk-dpop.lua sends each one once. Each has
 * its own {@code jti} and the {@code iat} of the moment it was signed, so the pool must be used within the server's
 * window (25 s) of being made. They are signed with ES256 by EC P-256 keys, a new key for every 500 proofs: Spring's
 * per-node replay cache takes at most 1,000 proofs of one key within 30 s (see the README's DPoP paragraph), and a
 * client with more requests than that uses more keys.
 *
 *   java -cp <the jar's libraries> DPoPProofPool HTU COUNT FILE
 *
 * Prints: PROOFS count=N keys=K seconds=S
 */
public final class DPoPProofPool {

	private static final int PROOFS_PER_KEY = 500;

	/**
	 * Amazon Corretto Crypto Provider first, when the jar has it (as the server does, signing.CryptoProvider): the
	 * JDK's ECDSA signs about ten times slower, and a pool made slowly is old before it is used.
	 */
	private static String nativeSignatures() {
		try {
			java.security.Provider accp = (java.security.Provider) Class
				.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
				.getField("INSTANCE")
				.get(null);
			java.security.Security.insertProviderAt(accp, 1);
			return accp.getName();
		}
		catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
			return "JDK";
		}
	}

	public static void main(String[] args) throws Exception {
		String htu = args[0];
		int count = Integer.parseInt(args[1]);
		Path file = Path.of(args[2]);
		long started = System.nanoTime();
		String provider = nativeSignatures();
		int keys = (count + PROOFS_PER_KEY - 1) / PROOFS_PER_KEY;
		ECKey[] keyOf = new ECKey[keys];
		JWSHeader[] headerOf = new JWSHeader[keys];
		ECDSASigner[] signerOf = new ECDSASigner[keys];
		for (int k = 0; k < keys; k++) {
			keyOf[k] = new ECKeyGenerator(Curve.P_256).generate();
			signerOf[k] = new ECDSASigner(keyOf[k]);
			headerOf[k] = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
				.jwk(keyOf[k].toPublicJWK())
				.build();
		}
		String[] proofs = IntStream.range(0, count).parallel().mapToObj(i -> {
			int k = i / PROOFS_PER_KEY;
			JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
				.claim("htm", "POST")
				.claim("htu", htu)
				.issueTime(new Date())
				.build();
			SignedJWT jwt = new SignedJWT(headerOf[k], claims);
			try {
				jwt.sign(signerOf[k]);
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
			return jwt.serialize();
		}).toArray(String[]::new);
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
			for (String proof : proofs) {
				out.write(proof);
				out.newLine();
			}
		}
		System.out.printf("PROOFS count=%d keys=%d seconds=%.2f provider=%s%n", count, keys,
				(System.nanoTime() - started) / 1e9, provider);
	}

}
