/**
 * The request log in the database (table {@code request_log}): every finished HTTP exchange of the public edge is
 * offered to a bounded lock-free queue on its event loop ({@link dev.grok.server.requestlog.RequestLog#offer},
 * never blocking; a full queue drops and counts), a single writer thread inserts the queued exchanges in batches
 * (one transaction and one JDBC batch each) and prunes every tunnel's rows to the retention count and the maximum
 * age now and then, and the admin API pages through a tunnel's rows with filters
 * ({@link dev.grok.server.requestlog.RequestLogQuery}).
 */
package dev.grok.server.requestlog;
