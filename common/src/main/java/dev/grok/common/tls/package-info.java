/** TLS shared by server and client: which engine (OpenSSL through netty-tcnative, or the JDK's) does the work. */
package dev.grok.common.tls;
