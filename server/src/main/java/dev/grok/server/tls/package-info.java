/** The server's certificate (--tls-cert, --tls-key) as TLS contexts for the HTTPS edge and the tunnel port. */
package dev.grok.server.tls;
