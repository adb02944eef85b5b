package io.raftring.http;

/**
 * The JSON body of every error answer: {@code {"error": "CODE", "message": "text"}}. Codes are stable and few
 * (BAD_REQUEST, NOT_FOUND, CONFLICT, TOO_LARGE, UNAUTHENTICATED, FORBIDDEN, NO_QUORUM, NOT_READY, TIMEOUT,
 * OVERLOADED); the message is for people.
 */
public record ApiError(String error, String message) {}
