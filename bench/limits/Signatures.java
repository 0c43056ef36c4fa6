import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.LongAdder;

/**
 * The signature ceiling of the token endpoint: RS256 (RSA 2048, SHA256withRSA) and ES256 (P-256, SHA256withECDSA)
 * signs and verifies per second of wall time, with THREADS threads released together, through plain JCA (what Nimbus
 * JOSE calls). One provider per run:
 *
 *   java Signatures.java jdk  [threads] [warmup_s] [seconds]     the JDK's own providers (SunRsaSign, SunEC)
 *   java -cp ACCP.jar Signatures.java accp [threads] [warmup_s] [seconds]   Amazon Corretto Crypto Provider (AWS-LC)
 *
 * Prints one line per operation: LIMIT name=<alg>-<sign|verify>-<provider> value=<ops/s> threads=N
 * The signed input is an RFC 9068 access token's header and claims, base64url, as Gatehouse signs them.
 */
public final class Signatures {

	private static final byte[] SIGNING_INPUT = signingInput();

	public static void main(String[] args) throws Exception {
		String which = args.length > 0 ? args[0] : "jdk";
		int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
		double warmup = args.length > 2 ? Double.parseDouble(args[2]) : 2;
		double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 4;
		Provider rsa;
		Provider ec;
		if (which.equals("accp")) {
			Provider accp = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
				.getField("INSTANCE").get(null);
			// throws when the native library did not load: a figure must never silently come from the JDK's code
			accp.getClass().getMethod("assertHealthy").invoke(accp);
			rsa = accp;
			ec = accp;
		}
		else {
			rsa = Signature.getInstance("SHA256withRSA").getProvider();
			ec = Signature.getInstance("SHA256withECDSA").getProvider();
		}
		System.err.printf("provider %s: RSA from %s %s, EC from %s %s; java %s; %d threads%n", which, rsa.getName(),
				rsa.getVersionStr(), ec.getName(), ec.getVersionStr(), System.getProperty("java.version"), threads);

		KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA", rsa);
		rsaGen.initialize(2048);
		KeyPair rsaKeys = rsaGen.generateKeyPair();
		KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC", ec);
		ecGen.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair ecKeys = ecGen.generateKeyPair();

		measure("RS256-sign-" + which, threads, warmup, seconds, sign("SHA256withRSA", rsa, rsaKeys));
		measure("RS256-verify-" + which, threads, warmup, seconds, verify("SHA256withRSA", rsa, rsaKeys));
		measure("ES256-sign-" + which, threads, warmup, seconds, sign("SHA256withECDSA", ec, ecKeys));
		measure("ES256-verify-" + which, threads, warmup, seconds, verify("SHA256withECDSA", ec, ecKeys));
	}

	private interface Operation {
		Runnable prepare() throws Exception;
	}

	private static Operation sign(String alg, Provider provider, KeyPair keys) {
		return () -> {
			Signature s = Signature.getInstance(alg, provider);
			return () -> {
				try {
					s.initSign(keys.getPrivate());
					s.update(SIGNING_INPUT);
					s.sign();
				}
				catch (Exception e) {
					throw new IllegalStateException(e);
				}
			};
		};
	}

	private static Operation verify(String alg, Provider provider, KeyPair keys) throws Exception {
		Signature signer = Signature.getInstance(alg, provider);
		signer.initSign(keys.getPrivate());
		signer.update(SIGNING_INPUT);
		byte[] signature = signer.sign();
		return () -> {
			Signature s = Signature.getInstance(alg, provider);
			return () -> {
				try {
					s.initVerify(keys.getPublic());
					s.update(SIGNING_INPUT);
					if (!s.verify(signature)) {
						throw new IllegalStateException("signature did not verify");
					}
				}
				catch (Exception e) {
					throw new IllegalStateException(e);
				}
			};
		};
	}

	/** Runs the operation on every thread for warmup + seconds; counts only the measured part, in wall time. */
	private static void measure(String name, int threads, double warmup, double seconds, Operation operation)
			throws Exception {
		LongAdder done = new LongAdder();
		long[] window = new long[2];
		CyclicBarrier start = new CyclicBarrier(threads + 1);
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Runnable op = operation.prepare();
			Thread t = new Thread(() -> {
				try {
					start.await();
					long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
					while (System.nanoTime() < warmEnd) {
						op.run();
					}
					long end = warmEnd + (long) (seconds * 1e9);
					long n = 0;
					while (System.nanoTime() < end) {
						op.run();
						n++;
					}
					done.add(n);
				}
				catch (Exception e) {
					throw new IllegalStateException(e);
				}
			});
			t.start();
			workers.add(t);
		}
		start.await();
		for (Thread t : workers) {
			t.join();
		}
		System.out.printf("LIMIT name=%s value=%.0f threads=%d%n", name, done.sum() / seconds, threads);
	}

	private static byte[] signingInput() {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String header = "{\"kid\":\"0f6c1c9e-6a55-4a3e-9d4b-2f3c5b1a7e90\",\"typ\":\"at+jwt\",\"alg\":\"RS256\"}";
		String claims = "{\"sub\":\"42\",\"aud\":\"gatehouse-api\",\"nbf\":1764600000,\"scope\":\"api\",\"iss\":"
				+ "\"http://127.0.0.1:18190\",\"exp\":1764600600,\"iat\":1764600000,\"jti\":"
				+ "\"7b0e2f6a-3c1d-4e5f-8a9b-0c1d2e3f4a5b\",\"client_id\":\"0c7f3a51-2b8e-4d6f-9a1c-5e7b3d9f2a46\"}";
		return (b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
				+ b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
	}

	private Signatures() {
	}
}
