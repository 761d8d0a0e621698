package dev.grok.cli.options;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML file of option values: a flat mapping from option names without dashes to single values, e.g.
 * {@code http-port: 8081}. Every problem (missing file, bad YAML, unknown key, nested value) is an
 * IllegalArgumentException whose message names the file and the key.
 */
public final class YamlOptionsFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private YamlOptionsFile() {}

  /** Reads {@code file}; keys outside {@code allowedKeys} are rejected. Null values count as absent. */
  public static Map<String, String> read(Path file, Set<String> allowedKeys) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file '" + file + "': not found");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "config file '" + file + "': not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new IllegalArgumentException("config file '" + file + "': cannot be read: " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return values;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("config file '" + file
          + "': expected a mapping of option names to values, e.g. 'http-port: 8080'");
    }
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String key = field.getKey();
      if (!allowedKeys.contains(key)) {
        throw new IllegalArgumentException("config file '" + file + "': unknown key '" + key
            + "' (expected one of: " + String.join(", ", new TreeSet<>(allowedKeys)) + ")");
      }
      JsonNode value = field.getValue();
      if (value.isContainerNode()) {
        throw new IllegalArgumentException(
            "config file '" + file + "': key '" + key + "' holds a list or mapping (expected: a single value)");
      }
      if (!value.isNull()) {
        values.put(key, value.asText());
      }
    }
    return values;
  }
}
