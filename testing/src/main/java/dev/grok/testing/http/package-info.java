/**
 * A raw-socket HTTP/1.1 client for tests that must control every byte: request targets such as {@code
 * /a%2Fb?x=1} sent untouched, any {@code Host} header, malformed requests, pipelining, half-sent bodies. {@link
 * dev.grok.testing.http.RawHttp} opens connections and does one-shot exchanges, {@link
 * dev.grok.testing.http.RawRequest} builds request bytes, {@link dev.grok.testing.http.RawHttpConnection} reads
 * responses (Content-Length, chunked or close-delimited) into {@link dev.grok.testing.http.RawResponse}.
 */
package dev.grok.testing.http;
