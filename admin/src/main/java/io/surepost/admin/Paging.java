package io.surepost.admin;

import java.util.List;

/**
 * A page of a list: {@code ?page=} counts from 1 (default 1), {@code ?size=} from 1 to
 * {@value #MAX_SIZE} (default {@value #DEFAULT_SIZE}); anything else is a 400 that says so.
 */
public record Paging(int page, int size) {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 200;

    /** One page of items, and how many there are in all (null when that is not counted). */
    public record Page<T>(int page, int size, Long total, List<T> items) {
    }

    public static Paging of(String page, String size) {
        return new Paging(number("page", page, 1, Integer.MAX_VALUE / MAX_SIZE, 1),
                number("size", size, 1, MAX_SIZE, DEFAULT_SIZE));
    }

    /** The first page's index is 0 here. */
    public int index() {
        return page - 1;
    }

    public <T> Page<T> of(List<T> items, Long total) {
        return new Page<>(page, size, total, items);
    }

    static int number(String name, String value, int min, int max, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("Query parameter " + name + " must be a whole number from " + min + " to " + max
                + ", not '" + Text.shown(value) + "'.");
    }
}
