package dev.grok.cli.options;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Value converters whose errors say the value and what was expected; picocli prefixes the option, giving e.g.
 * {@code Invalid value for option '--http-port': '70000' (expected: a port number 0-65535)}.
 */
public final class Converters {
  private Converters() {}

  /** A TCP port, 0 meaning any free port. */
  public static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return intIn(value, 0, 65535, "a port number 0-65535");
    }
  }

  /** A whole number of at least 1 (counts, seconds). */
  public static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return intIn(value, 1, Integer.MAX_VALUE, "a whole number >= 1");
    }
  }

  /** A whole number of at least 0 (0 often meaning "none" or "off"). */
  public static final class NonNegativeInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return intIn(value, 0, Integer.MAX_VALUE, "a whole number >= 0");
    }
  }

  /** A port range {@code A-B} with {@code 1 <= A <= B <= 65535}, kept as the normalized string. */
  public static final class PortRange implements ITypeConverter<String> {
    private static final Pattern RANGE = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*");

    @Override
    public String convert(String value) {
      Matcher m = RANGE.matcher(value);
      if (m.matches()) {
        int low = Integer.parseInt(m.group(1));
        int high = Integer.parseInt(m.group(2));
        if (low >= 1 && low <= high && high <= 65535) {
          return low + "-" + high;
        }
      }
      throw new TypeConversionException("'" + value + "' (expected: a port range A-B with 1 <= A <= B <= 65535)");
    }
  }

  /** {@code text} or {@code json}, case-insensitive, returned lower case. */
  public static final class LogFormat implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.equals("text") || v.equals("json")) {
        return v;
      }
      throw new TypeConversionException("'" + value + "' (expected: text or json)");
    }
  }

  /** A DNS name such as {@code example.com} or {@code localhost}, returned lower case. */
  public static final class DomainName implements ITypeConverter<String> {
    private static final Pattern NAME =
        Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    @Override
    public String convert(String value) {
      String v = value.trim();
      if (v.length() <= 253 && NAME.matcher(v).matches()) {
        return v.toLowerCase(Locale.ROOT);
      }
      throw new TypeConversionException("'" + value + "' (expected: a DNS name such as example.com)");
    }
  }

  /** A JDBC URL ({@code jdbc:...}), e.g. {@code jdbc:postgresql://host/db}. */
  public static final class JdbcUrl implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String v = value.trim();
      if (v.regionMatches(true, 0, "jdbc:", 0, 5) && v.length() > 5) {
        return v;
      }
      throw new TypeConversionException("'" + value + "' (expected: a JDBC URL such as jdbc:postgresql://host/db)");
    }
  }

  /** A length of time with its unit, such as {@code 7d}, {@code 12h}, {@code 30m} or {@code 90s}; at least 1 s. */
  public static final class Age implements ITypeConverter<java.time.Duration> {
    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

    @Override
    public java.time.Duration convert(String value) {
      Matcher m = AGE.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (m.matches() && Long.parseLong(m.group(1)) > 0) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "s" -> java.time.Duration.ofSeconds(n);
          case "m" -> java.time.Duration.ofMinutes(n);
          case "h" -> java.time.Duration.ofHours(n);
          default -> java.time.Duration.ofDays(n);
        };
      }
      throw new TypeConversionException("'" + value + "' (expected: a length of time with its unit, such as 7d, "
          + "12h, 30m or 90s)");
    }
  }

  private static int intIn(String value, int min, int max, String expected) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the value and the expectation
    }
    throw new TypeConversionException("'" + value + "' (expected: " + expected + ")");
  }
}
