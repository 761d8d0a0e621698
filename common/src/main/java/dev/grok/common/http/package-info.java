/** HTTP/1.1 rules shared by the edge and the client's local side: which headers are hop-by-hop. */
package dev.grok.common.http;
