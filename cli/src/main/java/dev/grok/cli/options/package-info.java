/**
 * Where option values come from when no flag gives them: {@link dev.grok.cli.options.OptionDefaults} consults the
 * environment ({@code GROK_<OPTION>}) and then a YAML file before picocli falls back to the declared default, so
 * the precedence is flag, environment, file, default. Also the value converters whose messages name the value and
 * what was expected, and the handlers that turn errors into exit codes and one-line messages.
 */
package dev.grok.cli.options;
