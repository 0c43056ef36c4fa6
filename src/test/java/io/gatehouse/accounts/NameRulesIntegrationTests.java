package io.gatehouse.accounts;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * What names of users and groups may contain, on the API and in the console (both go through the services): no
 * control or format characters (bidi overrides, zero-width characters), no unpaired surrogates; usernames of one
 * script, and none that looks like an existing one. Letters of every script are welcome.
 */
@GatehouseIntegrationTest
class NameRulesIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	/** Field, label, value: a control or format character inside the value (trimming removes them at the ends). */
	static Stream<Arguments> userFieldsWithBadCharacters() {
		return Stream.of(Arguments.of("username", "Username", "ada\u202eevil"),
				Arguments.of("username", "Username", "ada\u200bx"), Arguments.of("username", "Username", "ad\u0000a"),
				Arguments.of("firstname", "Firstname", "Ada\u001b[31m"),
				Arguments.of("lastname", "Lastname", "Love\u2066lace"),
				Arguments.of("email", "Email", "ada\u0000@example.com"),
				Arguments.of("email", "Email", "ada\u202e@example.com"));
	}

	@ParameterizedTest
	@MethodSource("userFieldsWithBadCharacters")
	void createUserWhenNameHasControlCharacterThen422AndNothingWritten(String field, String label, String value)
			throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		Map<String, String> body = new HashMap<>(Map.of("username", "named-" + suffix(), "password",
				"secret-password"));
		body.put(field, value);
		long before = accounts();

		postUser(admin, json.writeValueAsString(body))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors." + field + "[0]").value("The " + label
					+ " must not contain control characters."));

		assertThat(accounts()).isEqualTo(before);
	}

	@Test
	void createUserWhenNamesHaveLoneSurrogatesThen422AndNothingWritten() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		long before = accounts();

		// as JSON escapes: a JSON writer would not write a lone surrogate
		postUser(admin, "{\"username\": \"ada\\ud800\", \"password\": \"secret-password\", "
				+ "\"firstname\": \"\\udc00Ada\", \"lastname\": \"Love\\ud83d\"}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username must be valid Unicode text."))
			.andExpect(jsonPath("$.errors.firstname[0]").value("The Firstname must be valid Unicode text."))
			.andExpect(jsonPath("$.errors.lastname[0]").value("The Lastname must be valid Unicode text."));

		assertThat(accounts()).isEqualTo(before);
	}

	@ParameterizedTest
	@CsvSource(delimiterString = "|", value = { "username|Username|renamed\u202e", "firstname|Firstname|A\u001bB",
			"lastname|Lastname|x\u200dy", "email|Email|a\u2028b@example.com" })
	void updateUserWhenNameHasControlCharacterThen422AndNothingChanged(String field, String label, String value)
			throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		User target = TestAccounts.user().create(jdbc);

		mvc.perform(put("/api/1.0/users/" + target.id()).with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of(field, value))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors." + field + "[0]").value("The " + label
					+ " must not contain control characters."));

		assertThat(TestAccounts.find(jdbc, target.username()).version()).isEqualTo(1);
	}

	@Test
	void createUserWhenUsernameMixesScriptsThen422AndNothingWritten() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		String lookalike = "\u0430dmin-" + suffix();
		long before = accounts();

		postUser(admin, "{\"username\": \"" + lookalike + "\", \"password\": \"secret-password\"}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username must not mix letters of different "
					+ "scripts."));

		assertThat(accounts()).isEqualTo(before);
	}

	@ParameterizedTest
	@CsvSource({ "paypal,paypa1", "Ilona,llona", "modern,rnodern", "cafe\u0301,caf\u00e9" })
	void createUserWhenUsernameLooksLikeAnExistingOneThen422(String existing, String lookalike) throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		String suffix = "-" + suffix();
		postUser(admin, "{\"username\": \"" + existing + suffix + "\", \"password\": \"secret-password\"}")
			.andExpect(status().isCreated());
		long before = accounts();

		postUser(admin, "{\"username\": \"" + lookalike + suffix + "\", \"password\": \"secret-password\"}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username is too similar to an existing username."));

		assertThat(accounts()).isEqualTo(before);
	}

	@Test
	void createUserWhenUsernameIsCyrillicLookingLikeAnExistingLatinOneThen422() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		String latin = "cope-" + suffix();
		String cyrillic = latin.replace('c', '\u0441').replace('o', '\u043e').replace('p', '\u0440')
			.replace('e', '\u0435').replace('a', '\u0430');
		assertThat(Usernames.problemWith(cyrillic)).as("one script").isNull();
		postUser(admin, "{\"username\": \"" + latin + "\", \"password\": \"secret-password\"}")
			.andExpect(status().isCreated());

		postUser(admin, "{\"username\": \"" + cyrillic + "\", \"password\": \"secret-password\"}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username is too similar to an existing username."));
	}

	@Test
	void updateUserWhenRenamedToLookLikeAnotherThen422AndNothingChanged() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		String suffix = "-" + suffix();
		postUser(admin, "{\"username\": \"paypal" + suffix + "\", \"password\": \"secret-password\"}")
			.andExpect(status().isCreated());
		User other = TestAccounts.user().create(jdbc);

		mvc.perform(put("/api/1.0/users/" + other.id()).with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\": \"PAYPA1" + suffix.toUpperCase() + "\"}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username is too similar to an existing username."));

		assertThat(TestAccounts.find(jdbc, other.username()).version()).isEqualTo(1);
	}

	@Test
	void updateUserWhenOwnUsernameOnlyChangesCaseThenSaved() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		String username = "casey-" + suffix();
		long id = json.readTree(postUser(admin, "{\"username\": \"" + username
				+ "\", \"password\": \"secret-password\"}")
			.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString()).get("id").asLong();

		mvc.perform(put("/api/1.0/users/" + id).with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\": \"Casey-" + username.substring(6) + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.username").value("Casey-" + username.substring(6)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "j\u00fcrgen.m\u00fcller", "\u0394\u03b7\u03bc\u03ae\u03c4\u03c1\u03b7\u03c2",
			"\u5c71\u7530\u305f\u308d\u3046", "\u0645\u062d\u0645\u062f", "\u043e\u043b\u044c\u0433\u0430",
					"ada@example.com" })
	void createUserWhenInternationalNamesThen201(String name) throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		// digits belong to every script (and 2 to 9 look like nothing else)
		String username = name + "-" + random("23456789");

		postUser(admin, json.writeValueAsString(Map.of("username", username, "password", "secret-password",
				"firstname", name, "lastname", name)))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.username").value(username))
			.andExpect(jsonPath("$.firstname").value(name));
	}

	@Test
	void updateUserWhenStoredNamesBreakTheRulesButAreSentBackUnchangedThen200() throws Exception {
		// saved before these rules existed: a mixed-script username and a name with a control character
		User legacy = TestAccounts.user().username("ivan-\u0438\u0432\u0430\u043d-" + suffix()).name("Ivan\u0007",
				"Old")
			.create(jdbc);
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		String shown = mvc.perform(get("/api/1.0/users/" + legacy.id()).with(TestAccounts.as(admin))).andReturn()
			.getResponse().getContentAsString();

		mvc.perform(put("/api/1.0/users/" + legacy.id()).with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content(shown.replace("\"Old\"", "\"New\"")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.lastname").value("New"));
	}

	@Test
	void consoleCreateUserWhenUsernameMixesScriptsOrFirstnameHasEscapeThenErrorsNextToFields() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		long before = accounts();

		mvc.perform(post("/admin/users").param("username", "\u0430dmin-" + suffix())
			.param("firstname", "Ada\u001b[1m")
			.param("password", "secret-password")
			.with(csrf())
			.with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("The Username must not mix letters of different scripts.")))
			.andExpect(content().string(containsString("The Firstname must not contain control characters.")));

		assertThat(accounts()).isEqualTo(before);
	}

	static Stream<Arguments> groupFieldsWithBadCharacters() {
		return Stream.of(Arguments.of("name", "Name", "Ops\u0000team"), Arguments.of("name", "Name", "Ops\u202eteam"),
				Arguments.of("name", "Name", "Ops\u2028team"), Arguments.of("description", "Description",
						"Runs\u001b[2J"),
				Arguments.of("description", "Description", "zero\u200bwidth"));
	}

	@ParameterizedTest
	@MethodSource("groupFieldsWithBadCharacters")
	void createGroupWhenNameOrDescriptionHasControlCharacterThen422AndNothingWritten(String field, String label,
			String value) throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		Map<String, String> body = new HashMap<>(Map.of("name", "Group " + suffix(), "description", ""));
		body.put(field, value + (field.equals("name") ? suffix() : ""));
		long before = groups();

		mvc.perform(post("/api/1.0/groups").with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(body)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors." + field + "[0]").value("The " + label
					+ " must not contain control characters."));

		assertThat(groups()).isEqualTo(before);
	}

	@Test
	void createGroupWhenNameHasLoneSurrogateThen422AndNothingWritten() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		long before = groups();

		mvc.perform(post("/api/1.0/groups").with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"\\udc00Ops " + suffix() + "\", \"description\": \"half \\ud800\"}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name must be valid Unicode text."))
			.andExpect(jsonPath("$.errors.description[0]").value("The Description must be valid Unicode text."));

		assertThat(groups()).isEqualTo(before);
	}

	@Test
	void createGroupWhenDescriptionHasLineBreaksThen201() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);

		mvc.perform(post("/api/1.0/groups").with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", "Lines " + suffix(), "description",
					"First line\r\nSecond line\n\tindented"))))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.description").value("First line\r\nSecond line\n\tindented"));
	}

	@Test
	void consoleCreateGroupWhenNameHasBidiOverrideThenErrorNextToField() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		long before = groups();

		mvc.perform(post("/admin/groups").param("name", "Admins\u202e" + suffix())
			.param("description", "")
			.with(csrf())
			.with(TestAccounts.as(admin)))
			.andExpect(content().string(containsString("The Name must not contain control characters.")));

		assertThat(groups()).isEqualTo(before);
	}

	private ResultActions postUser(User admin, String body) throws Exception {
		return mvc.perform(post("/api/1.0/users").with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

	private long accounts() {
		return jdbc.sql("select count(*) from account").query(Long.class).single();
	}

	private long groups() {
		return jdbc.sql("select count(*) from user_group").query(Long.class).single();
	}

	/** Random letters that Cyrillic has look-alikes for, so that no other test's name looks like this one. */
	private static String suffix() {
		return random("ace");
	}

	private static String random(String alphabet) {
		StringBuilder random = new StringBuilder();
		for (int i = 0; i < 16; i++) {
			random.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
		}
		return random.toString();
	}

}
