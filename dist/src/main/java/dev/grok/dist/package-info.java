/**
 * Build-time helpers of the release archive ({@code ./mvnw -Prelease package}): the shell completion scripts
 * picocli writes from the real command trees of {@code grok} and {@code grok-server}. Nothing here ships as code.
 */
package dev.grok.dist;
