package io.gatehouse.personaltokens;

/**
 * A token just created, with its value: the only time the value exists outside the caller's hands. Show it once and
 * never store or log it.
 */
public record IssuedPersonalAccessToken(PersonalAccessToken token, String value) {

	@Override
	public String toString() {
		return "IssuedPersonalAccessToken[token=" + token + ", value=(hidden)]";
	}

}
