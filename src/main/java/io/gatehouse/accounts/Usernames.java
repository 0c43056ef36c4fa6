package io.gatehouse.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

import org.jspecify.annotations.Nullable;

/**
 * What a username must be beyond any name (see {@link Validation}), after Unicode Technical Standard #39 as ICU4J
 * implements it, so that one user cannot pass for another:
 * <ul>
 * <li>its letters are of one script (restriction level "highly restrictive": one script, or Latin with the scripts a
 * Chinese, Japanese or Korean name is written in), so "аdmin" with a Cyrillic "а" is refused, while "jürgen",
 * "Δημήτρης", "иван" and "山田たろう" are fine; digits, punctuation and "@" belong to every script;</li>
 * <li>its digits are of one numbering system, and no combining mark is repeated or hidden in the letter before;</li>
 * <li>its skeleton differs from every other username's ({@link #skeleton}): "paypa1" looks like "paypal", and "сора"
 * in Cyrillic like "copa" in Latin. A unique index on {@code account.username_skeleton} enforces this.</li>
 * </ul>
 * Public for the Flyway migration that fills in the skeletons of existing accounts.
 */
public final class Usernames {

	/** Thread-safe once built (ICU: the check and skeleton functions may be called concurrently). */
	private static final SpoofChecker CHECKER = new SpoofChecker.Builder()
		.setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS | SpoofChecker.INVISIBLE
				| SpoofChecker.HIDDEN_OVERLAY)
		.setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
		.build();

	private static final Normalizer2 NFD = Normalizer2.getNFDInstance();

	private Usernames() {
	}

	/** What is wrong with the (trimmed) username under the rules above, as the message to show; null when nothing. */
	static @Nullable String problemWith(String username) {
		SpoofChecker.CheckResult result = new SpoofChecker.CheckResult();
		if (!CHECKER.failsChecks(username, result)) {
			return null;
		}
		if ((result.checks & SpoofChecker.RESTRICTION_LEVEL) != 0) {
			return "The Username must not mix letters of different scripts.";
		}
		if ((result.checks & SpoofChecker.MIXED_NUMBERS) != 0) {
			return "The Username must not mix digits of different scripts.";
		}
		return "The Username must not contain repeated or hidden combining marks.";
	}

	/**
	 * The key under which look-alike usernames collide: the TR 39 skeleton of the trimmed username (each character
	 * replaced by its prototype: Cyrillic "а" by "a", "1" by "l", "m" by "rn", NFD throughout), case-folded afterwards
	 * because usernames are case-insensitive, as the SHA-256 of its UTF-8 in hex. The hash keeps the indexed value
	 * short, since a skeleton can be many times longer than the name.
	 */
	public static String skeleton(String username) {
		String folded = NFD.normalize(UCharacter.foldCase(CHECKER.getSkeleton(username.trim()), true));
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(folded.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
