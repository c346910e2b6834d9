package io.abafix.lab.graph;

import java.time.Instant;

/**
 * One request that reached {@link FakeMicrosoftEntra}.
 *
 * @param arrivedAt when it arrived, before any processing
 * @param operation which operation it was, one of the {@code FakeMicrosoftEntra} operation
 *     constants ({@code token}, {@code listApplications}, ...), or {@code unsupported}
 * @param method the HTTP method
 * @param path the request path, without the query
 * @param status the HTTP status of the answer
 */
public record RecordedRequest(
    Instant arrivedAt, String operation, String method, String path, int status) {}
