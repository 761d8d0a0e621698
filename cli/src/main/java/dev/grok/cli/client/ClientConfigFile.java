package dev.grok.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's YAML config file ({@code ~/.grok/config.yml} or {@code $GROK_CONFIG}), keys {@code server} and
 * {@code token}. Other keys are kept as they are, so the file may be shared with later features. It holds a
 * token, so it is written readable by its owner only (0600) and its directory, when created here, is 0700.
 */
public final class ClientConfigFile {
  public static final String SERVER_KEY = "server";
  public static final String TOKEN_KEY = "token";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private ClientConfigFile() {}

  /** The file's keys in order; empty when the file does not exist. Bad YAML is an IllegalArgumentException. */
  public static Map<String, Object> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return new LinkedHashMap<>();
    } catch (IOException e) {
      throw new IllegalArgumentException("config file '" + file + "': cannot be read: " + e.getMessage());
    }
    if (text.isBlank()) {
      return new LinkedHashMap<>();
    }
    try {
      Map<String, Object> map = YAML.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
      return map == null ? new LinkedHashMap<>() : map;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("config file '" + file
          + "': expected YAML with keys such as 'server: HOST:PORT' and 'token: T' ("
          + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
    }
  }

  /** The value of {@code key} as text, null when absent or not a single value. */
  public static String value(Map<String, Object> config, String key) {
    Object value = config.get(key);
    if (value == null || value instanceof Map || value instanceof Iterable) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  /** Sets {@code key} to {@code value}, keeping the other keys; creates the file (0600) and directory (0700). */
  public static void set(Path file, String key, String value) throws IOException {
    Map<String, Object> config = read(file);
    config.put(key, value);
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, YAML.writeValueAsString(config));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
