package io.surepost.admin;

/** Every error the API answers: the HTTP status, its name and what a person can do about it. */
public record ApiError(int status, String error, String message) {
}
