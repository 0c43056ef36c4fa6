package io.gatehouse.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UsageChartTests {

	private static final Instant DAY = Instant.parse("2026-11-03T00:00:00Z");

	private static UsageSeries threeDays() {
		return UsageSeries.of(DAY, Duration.ofDays(1), 3, List.of(
				new JdbcTokenUsageRepository.Cell(DAY.plus(Duration.ofHours(5)), UsageGrantType.CLIENT_CREDENTIALS, 7),
				new JdbcTokenUsageRepository.Cell(DAY.plus(Duration.ofHours(9)), UsageGrantType.CLIENT_CREDENTIALS, 3),
				new JdbcTokenUsageRepository.Cell(DAY.plus(Duration.ofDays(2)), UsageGrantType.REFRESH_TOKEN, 4),
				new JdbcTokenUsageRepository.Cell(DAY.plus(Duration.ofDays(3)), UsageGrantType.PASSWORD, 99)));
	}

	@Test
	void seriesWhenCellsOfHoursThenSummedIntoTheirDaysAndOutsideIgnored() {
		UsageSeries series = threeDays();
		assertThat(series.starts()).containsExactly(DAY, DAY.plus(Duration.ofDays(1)), DAY.plus(Duration.ofDays(2)));
		assertThat(series.totalAt(0)).isEqualTo(10);
		assertThat(series.totalAt(1)).isZero();
		assertThat(series.totalAt(2)).isEqualTo(4);
		assertThat(series.total()).isEqualTo(14);
		assertThat(series.counts()).containsOnlyKeys(UsageGrantType.CLIENT_CREDENTIALS, UsageGrantType.REFRESH_TOKEN);
	}

	@Test
	void svgWhenSeriesThenABarPerBucketWithItsCountTitleAndStackedSegments() {
		String svg = UsageChart.svg("chart", "Tokens <issued>", threeDays());

		assertThat(svg).startsWith("<svg ").contains("role=\"img\"")
			.contains("aria-label=\"Tokens &lt;issued&gt;: 14 tokens\"")
			.contains("data-total=\"14\"")
			.doesNotContain("<issued>").doesNotContain("style=").doesNotContain("<script");
		assertThat(count(svg, "class=\"usage-bar\"")).isEqualTo(3);
		assertThat(svg).contains("data-count=\"10\"", "data-count=\"0\"", "data-count=\"4\"");
		assertThat(svg).contains("<title>2026-11-03: 10 tokens (Client credentials 10)</title>");
		assertThat(svg).contains("<title>2026-11-05: 4 tokens (Refresh token 4)</title>");
		// one segment per grant type and bucket with tokens, and one legend swatch per grant type
		assertThat(count(svg, "class=\"usage-client_credentials\"")).isEqualTo(2);
		assertThat(count(svg, "class=\"usage-refresh_token\"")).isEqualTo(2);
		assertThat(svg).contains(">Client credentials 10<", ">Refresh token 4<");
	}

	@Test
	void svgWhenTallestBarThenItReachesTheScaleTopAndSmallerOnesAreProportional() {
		String svg = UsageChart.svg("chart", "t", threeDays());
		// scale 10: the 10-token bar is the full plot height (110), the 4-token bar 44
		assertThat(svg).contains("height=\"110.0\"").contains("height=\"44.0\"");
	}

	@Test
	void svgWhenNoTokensThenSaysSo() {
		String svg = UsageChart.svg("chart", "t", UsageSeries.of(DAY, Duration.ofHours(1), 24, List.of()));
		assertThat(svg).contains("No tokens issued").contains("data-total=\"0\"");
		assertThat(count(svg, "class=\"usage-bar\"")).isEqualTo(24);
	}

	@Test
	void svgWhenIdNotAnIdentifierThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> UsageChart.svg("a\" onload=\"x", "t", threeDays()));
	}

	@Test
	void niceCeilingWhenValuesThenOneTwoOrFiveTimesAPowerOfTen() {
		assertThat(UsageChart.niceCeiling(0)).isEqualTo(1);
		assertThat(UsageChart.niceCeiling(3)).isEqualTo(5);
		assertThat(UsageChart.niceCeiling(10)).isEqualTo(10);
		assertThat(UsageChart.niceCeiling(11)).isEqualTo(20);
		assertThat(UsageChart.niceCeiling(501)).isEqualTo(1000);
	}

	@Test
	void grantTypeWhenUnknownOrNullThenOther() {
		assertThat(UsageGrantType.ofGrantType("urn:ietf:params:oauth:grant-type:device_code"))
			.isEqualTo(UsageGrantType.DEVICE_CODE);
		assertThat(UsageGrantType.ofGrantType("made-up")).isEqualTo(UsageGrantType.OTHER);
		assertThat(UsageGrantType.ofGrantType(null)).isEqualTo(UsageGrantType.OTHER);
	}

	private static int count(String text, String part) {
		return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
	}

}
