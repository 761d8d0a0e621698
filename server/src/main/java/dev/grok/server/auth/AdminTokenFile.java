package dev.grok.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DATA_DIR/admin.token}: the bootstrap admin token, readable and writable by its owner only, so that a client
 * on the same machine can pick it up with no configuration. The file holds the raw token and nothing else (no
 * trailing newline); readers strip whitespace all the same.
 */
final class AdminTokenFile {
  static final String FILE_NAME = "admin.token";
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private static final Logger log = LoggerFactory.getLogger(AdminTokenFile.class);

  private AdminTokenFile() {}

  static Path path(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /** The stripped content, or empty when the file does not exist or is blank. */
  static Optional<String> read(Path dataDir) {
    Path file = path(dataDir);
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Replaces the file atomically: the token goes into a temporary file that is created with owner-only
   * permissions (never readable by others, not even for an instant), then moved over the old file.
   */
  static void write(Path dataDir, String rawToken) {
    Path file = path(dataDir);
    Path temp = null;
    try {
      Files.createDirectories(dataDir);
      temp = Files.createTempFile(dataDir, FILE_NAME + ".", ".tmp", ownerOnlyAttributes(dataDir));
      Files.writeString(temp, rawToken, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /** Narrows the permissions of an existing file to owner-only when someone widened them. */
  static void restrictPermissions(Path dataDir) {
    Path file = path(dataDir);
    if (!isPosix(file)) {
      return;
    }
    try {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        log.warn("{} was readable by others; its permissions are now rw-------", file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the permissions of " + file, e);
    }
  }

  private static FileAttribute<?>[] ownerOnlyAttributes(Path dir) {
    // Non-POSIX file systems (Windows) reject the attribute; there the temp file inherits the directory's ACL.
    return isPosix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      log.warn("cannot delete temporary file {}", temp, e);
    }
  }
}
