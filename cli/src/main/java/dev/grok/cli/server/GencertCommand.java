package dev.grok.cli.server;

import dev.grok.cli.VersionCommand;
import dev.grok.cli.options.Converters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code grok-server gencert}: writes {@code DIR/grok.crt} and {@code DIR/grok.key} (PEM), self-signed. */
@Command(name = "gencert", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Write a self-signed certificate for H and *.H: DIR/grok.crt and DIR/grok.key (PEM).")
public final class GencertCommand implements Callable<Integer> {
  static final String CERT_FILE = "grok.crt";
  static final String KEY_FILE = "grok.key";

  @Spec
  private CommandSpec spec;

  @Option(names = "--host", paramLabel = "H", defaultValue = "localhost",
      description = "Name in the certificate, also as *.H (default: localhost).")
  String host;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "./grok-data",
      description = "Directory to write to, created when missing (default: ./grok-data).")
  Path out;

  @Option(names = "--days", paramLabel = "N", defaultValue = "825", converter = Converters.PositiveInt.class,
      description = "Validity in days (default: 825).")
  int days;

  @Option(names = "--force", description = "Replace existing grok.crt and grok.key.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    String san;
    try {
      san = SelfSignedCertificate.subjectAltName(host);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
    }
    Path cert = out.resolve(CERT_FILE);
    Path key = out.resolve(KEY_FILE);
    PrintWriter err = spec.commandLine().getErr();
    for (Path p : new Path[] {cert, key}) {
      if (Files.exists(p) && !force) {
        err.println("grok-server: " + p + " exists (use --force to replace it)");
        err.flush();
        return 1;
      }
    }
    SelfSignedCertificate generated = SelfSignedCertificate.generate(host, days);
    Files.createDirectories(out);
    write(key, generated.privateKeyPem(), "rw-------");
    write(cert, generated.certificatePem(), "rw-r--r--");
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println("Wrote " + cert + " and " + key + " (self-signed for "
        + san.replace("dns:", "").replace("ip:", "").replace(",", " and ") + ", valid " + days + " days)");
    stdout.flush();
    return 0;
  }

  /** Writes through a temporary file created with {@code permissions}, so the key is never readable by others. */
  private static void write(Path target, String text, String permissions) throws IOException {
    Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
