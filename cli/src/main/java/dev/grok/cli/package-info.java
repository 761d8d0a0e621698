/**
 * The two launchers: {@link dev.grok.cli.ServerMain} ({@code grok-server}) and {@link dev.grok.cli.ClientMain}
 * ({@code grok}), picocli command trees whose options come from flags, the environment and YAML files (see
 * {@code options}); the server's subcommands live in {@code server}, the client's in {@code client}. Both are
 * packaged as shaded runnable jars, {@code cli/target/grok-server.jar} and {@code cli/target/grok.jar}.
 */
package dev.grok.cli;
