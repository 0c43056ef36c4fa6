package io.gatehouse.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Draws a {@link UsageSeries} as an inline SVG: one stacked bar per bucket (a segment per grant type), a
 * {@code <title>}
 * on each bar naming its bucket and counts (a browser shows it on hover, a screen reader reads it), the chart's
 * {@code aria-label} with its total, a few axis labels, and a legend. Colours come from CSS classes
 * ({@code usage-<grant type>} in {@code gatehouse.css}), no inline style or script, so the console's
 * Content-Security-Policy holds. Every text is escaped.
 */
public final class UsageChart {

	static final int WIDTH = 720;

	static final int HEIGHT = 160;

	private static final int LEFT = 40;

	private static final int TOP = 10;

	private static final int BOTTOM = 20;

	private static final int LEGEND = 20;

	private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d").withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter FULL_HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter FULL_DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd")
		.withZone(ZoneOffset.UTC);

	private UsageChart() {
	}

	/**
	 * The chart as SVG markup, to be written into the page unescaped.
	 *
	 * @param id the SVG element's id (letters, digits and dashes)
	 * @param title what the chart shows, e.g. "Tokens issued, last 24 hours"
	 */
	public static String svg(String id, String title, UsageSeries series) {
		if (!id.matches("[A-Za-z0-9-]+")) {
			throw new IllegalArgumentException("Not an SVG id: " + id);
		}
		boolean hourly = series.step().compareTo(Duration.ofDays(1)) < 0;
		long max = 0;
		for (int i = 0; i < series.size(); i++) {
			max = Math.max(max, series.totalAt(i));
		}
		long scale = niceCeiling(max);
		int plotWidth = WIDTH - LEFT;
		int plotHeight = HEIGHT - TOP - BOTTOM - LEGEND;
		double slot = (double) plotWidth / Math.max(1, series.size());
		double barWidth = Math.max(1, slot * 0.8);
		StringBuilder svg = new StringBuilder();
		String label = title + ": " + series.total() + " token" + (series.total() == 1 ? "" : "s");
		svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"usage-chart\" id=\"").append(id)
			.append("\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
			.append("\" aria-label=\"").append(escape(label)).append("\" data-total=\"").append(series.total())
			.append("\">");
		svg.append("<title>").append(escape(label)).append("</title>");
		int baseline = TOP + plotHeight;
		// the scale: the top value and zero
		svg.append(text(LEFT - 4, TOP + 8, "end", "usage-axis", Long.toString(scale)));
		svg.append(text(LEFT - 4, baseline, "end", "usage-axis", "0"));
		svg.append("<line class=\"usage-baseline\" x1=\"").append(LEFT).append("\" y1=\"").append(baseline)
			.append("\" x2=\"").append(WIDTH).append("\" y2=\"").append(baseline).append("\"/>");
		int labelEvery = Math.max(1, series.size() / 6);
		for (int i = 0; i < series.size(); i++) {
			Instant start = series.starts().get(i);
			double x = LEFT + i * slot + (slot - barWidth) / 2;
			long total = series.totalAt(i);
			svg.append("<g class=\"usage-bar\" data-start=\"").append(start).append("\" data-count=\"").append(total)
				.append("\"><title>").append(escape(barTitle(series, i, hourly))).append("</title>");
			double y = baseline;
			for (Map.Entry<UsageGrantType, long[]> grant : series.counts().entrySet()) {
				long count = grant.getValue()[i];
				if (count == 0) {
					continue;
				}
				double height = (double) count * plotHeight / scale;
				y -= height;
				svg.append("<rect class=\"usage-").append(grant.getKey().key()).append("\" x=\"").append(number(x))
					.append("\" y=\"").append(number(y)).append("\" width=\"").append(number(barWidth))
					.append("\" height=\"").append(number(height)).append("\"/>");
			}
			// a transparent full-height target, so an empty bucket has a title to hover too
			svg.append("<rect class=\"usage-target\" x=\"").append(number(LEFT + i * slot)).append("\" y=\"")
				.append(TOP).append("\" width=\"").append(number(slot)).append("\" height=\"").append(plotHeight)
				.append("\"/></g>");
			if (i % labelEvery == 0) {
				svg.append(text(LEFT + i * slot + slot / 2, baseline + 14, "middle", "usage-axis",
						(hourly ? HOUR : DAY).format(start)));
			}
		}
		double legendX = LEFT;
		int legendY = HEIGHT - 6;
		for (UsageGrantType grant : series.counts().keySet()) {
			svg.append("<rect class=\"usage-").append(grant.key()).append("\" x=\"").append(number(legendX))
				.append("\" y=\"").append(legendY - 9).append("\" width=\"10\" height=\"10\"/>");
			String entry = grant.label() + " " + series.totalOf(grant);
			svg.append(text(legendX + 14, legendY, "start", "usage-legend", entry));
			legendX += 24 + entry.length() * 6.5;
		}
		if (series.counts().isEmpty()) {
			svg.append(text(LEFT + plotWidth / 2.0, TOP + plotHeight / 2.0, "middle", "usage-empty",
					"No tokens issued"));
		}
		return svg.append("</svg>").toString();
	}

	private static String barTitle(UsageSeries series, int index, boolean hourly) {
		Instant start = series.starts().get(index);
		StringJoiner parts = new StringJoiner(", ", " (", ")").setEmptyValue("");
		series.counts().forEach((grant, values) -> {
			if (values[index] > 0) {
				parts.add(grant.label() + " " + values[index]);
			}
		});
		long total = series.totalAt(index);
		return (hourly ? FULL_HOUR : FULL_DAY).format(start) + ": " + total + " token" + (total == 1 ? "" : "s")
				+ parts;
	}

	/** 1, 2 or 5 times a power of ten, at least {@code value} and at least 1. */
	static long niceCeiling(long value) {
		long power = 1;
		while (true) {
			for (long step : new long[] { 1, 2, 5 }) {
				if (step * power >= value) {
					return step * power;
				}
			}
			power *= 10;
		}
	}

	private static String text(double x, double y, String anchor, String cssClass, String content) {
		return "<text class=\"" + cssClass + "\" x=\"" + number(x) + "\" y=\"" + number(y) + "\" text-anchor=\""
				+ anchor + "\">" + escape(content) + "</text>";
	}

	private static String number(double value) {
		return String.format(java.util.Locale.ROOT, "%.1f", value);
	}

	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
