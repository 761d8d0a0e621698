package dev.grok.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the final stage of the repository's {@code Dockerfile} sets up to run: its {@code ENV}, {@code WORKDIR},
 * {@code ENTRYPOINT} and {@code HEALTHCHECK CMD}, read from the file itself so a test runs exactly those on the same
 * file layout outside a container (paths of the image mapped into a temporary directory).
 */
record ImageLayout(Map<String, String> rawEnv, String workdir, List<String> entrypoint, List<String> healthcheck) {
  private static final Pattern JSON_ARRAY = Pattern.compile("\\[(.*)]");
  private static final Pattern JSON_STRING = Pattern.compile("\"([^\"]*)\"");
  private static final Pattern ENV_PAIR = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\\S+)");

  /** Reads the last stage (after the last {@code FROM}) of {@code dockerfile}; continuation lines are joined. */
  static ImageLayout read(Path dockerfile) throws IOException {
    String joined = Files.readString(dockerfile).replaceAll("\\\\\\n", " ");
    List<String> lines = joined.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    int lastFrom = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    String workdir = "/";
    List<String> entrypoint = List.of();
    List<String> healthcheck = List.of();
    for (String line : lines.subList(lastFrom, lines.size())) {
      if (line.startsWith("ENV ")) {
        Matcher pair = ENV_PAIR.matcher(line.substring(4));
        while (pair.find()) {
          env.put(pair.group(1), pair.group(2));
        }
      } else if (line.startsWith("WORKDIR ")) {
        workdir = line.substring(8).strip();
      } else if (line.startsWith("ENTRYPOINT ")) {
        entrypoint = jsonArray(line);
      } else if (line.startsWith("HEALTHCHECK ")) {
        healthcheck = jsonArray(line.substring(line.indexOf(" CMD ")));
      }
    }
    if (entrypoint.isEmpty() || healthcheck.isEmpty()) {
      throw new IllegalStateException(
          dockerfile + ": no ENTRYPOINT [...] or HEALTHCHECK ... CMD [...] (expected: both, in exec form)");
    }
    return new ImageLayout(env, workdir, entrypoint, healthcheck);
  }

  private static List<String> jsonArray(String line) {
    Matcher array = JSON_ARRAY.matcher(line);
    if (!array.find()) {
      throw new IllegalStateException("not in exec form: " + line + " (expected: [\"...\", ...])");
    }
    List<String> words = new ArrayList<>();
    Matcher word = JSON_STRING.matcher(array.group(1));
    while (word.find()) {
      words.add(word.group(1));
    }
    return words;
  }

  /** {@code value} with every image path that {@code paths} names replaced by its place here. */
  static String map(String value, Map<String, String> paths) {
    String mapped = value;
    for (Map.Entry<String, String> e : paths.entrySet()) {
      mapped = mapped.replace(e.getKey(), e.getValue());
    }
    return mapped;
  }

  /** The image's environment with paths mapped; {@code $PATH} stands for {@code basePath}. */
  Map<String, String> env(Map<String, String> paths, String basePath) {
    Map<String, String> env = new LinkedHashMap<>();
    rawEnv.forEach((k, v) -> env.put(k, map(v, paths).replace("$PATH", basePath)));
    return env;
  }

  List<String> entrypoint(Map<String, String> paths) {
    return entrypoint.stream().map(w -> map(w, paths)).toList();
  }

  List<String> healthcheck(Map<String, String> paths) {
    return healthcheck.stream().map(w -> map(w, paths)).toList();
  }
}
