package io.gatehouse.accounts;

/** A seeded permission: its name (also the Spring Security authority), a title to show, and a category to group by. */
public record Permission(String name, String title, String category) {
}
