package dev.grok.server.requestlog;

/**
 * One row of the request log, as the admin API reads it.
 *
 * @param id assigned by the database; grows with every insert (pages go by it)
 * @param atMillis when the exchange ended, epoch milliseconds
 * @param path path and query as received (cut at {@link RequestLog#MAX_PATH_CHARS})
 * @param status the status the visitor got, 0 when none was sent
 * @param bytesIn body bytes towards the local service
 * @param bytesOut body bytes towards the visitor
 * @param remoteAddr the visitor's IP address, null when unknown
 * @param error why the local service's answer did not reach the visitor (an error kind's label), null when it did
 */
public record LoggedRequest(long id, long atMillis, String tunnel, String method, String path, int status,
    long durationMicros, long bytesIn, long bytesOut, String remoteAddr, String error) {}
