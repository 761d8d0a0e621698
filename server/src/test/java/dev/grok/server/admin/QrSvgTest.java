package dev.grok.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.grok.server.auth.Totp;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SVG drawn by {@link QrSvg}, rasterised from its path and read back by ZXing's decoder, gives the URL again. */
class QrSvgTest {
  private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
  private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  private static final int PIXELS_PER_MODULE = 4;

  @Test
  void anOtpauthUrlDrawnAsSvgDecodesToTheSameUrl() throws Exception {
    String url = Totp.otpauthUrl("grok", "ann+test@acme.example", new Totp(() -> 0).newSecret());

    String svg = QrSvg.of(url);

    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>")
        .doesNotContain("<script");
    assertThat(decode(svg)).isEqualTo(url);
  }

  @Test
  void theCodeKeepsAQuietZoneOfFourModules() {
    String svg = QrSvg.of("otpauth://totp/grok:a?secret=AAAA");
    Matcher box = VIEW_BOX.matcher(svg);
    assertThat(box.find()).isTrue();
    int size = Integer.parseInt(box.group(1));
    Matcher run = RUN.matcher(svg);
    int minX = Integer.MAX_VALUE;
    int maxX = 0;
    int minY = Integer.MAX_VALUE;
    int maxY = 0;
    while (run.find()) {
      int x = Integer.parseInt(run.group(1));
      int y = Integer.parseInt(run.group(2));
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x + Integer.parseInt(run.group(3)));
      maxY = Math.max(maxY, y + 1);
    }
    assertThat(minX).isEqualTo(QrSvg.QUIET_ZONE_MODULES);
    assertThat(minY).isEqualTo(QrSvg.QUIET_ZONE_MODULES);
    assertThat(maxX).isEqualTo(size - QrSvg.QUIET_ZONE_MODULES);
    assertThat(maxY).isEqualTo(size - QrSvg.QUIET_ZONE_MODULES);
  }

  /** Paints the path's runs into a grey-scale raster (white background) and decodes it. */
  private static String decode(String svg) throws Exception {
    Matcher box = VIEW_BOX.matcher(svg);
    assertThat(box.find()).isTrue();
    int size = Integer.parseInt(box.group(1)) * PIXELS_PER_MODULE;
    int[] pixels = new int[size * size];
    Arrays.fill(pixels, 0xFFFFFFFF);
    Matcher run = RUN.matcher(svg);
    while (run.find()) {
      int x0 = Integer.parseInt(run.group(1)) * PIXELS_PER_MODULE;
      int y0 = Integer.parseInt(run.group(2)) * PIXELS_PER_MODULE;
      int w = Integer.parseInt(run.group(3)) * PIXELS_PER_MODULE;
      for (int y = y0; y < y0 + PIXELS_PER_MODULE; y++) {
        Arrays.fill(pixels, y * size + x0, y * size + x0 + w, 0xFF000000);
      }
    }
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(size, size, pixels)));
    return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
  }
}
