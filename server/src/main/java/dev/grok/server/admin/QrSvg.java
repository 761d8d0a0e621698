package dev.grok.server.admin;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.util.Map;

/**
 * A QR code as a small SVG document, for the dashboard's 2FA set-up (the {@code otpauth://} URL that authenticator
 * apps scan). ZXing's encoder picks the version and mask; this class only draws its module matrix: one path with a
 * run of dark modules per {@code h} segment, in module units scaled by the viewBox, so the image is sharp at any size
 * and a few kilobytes long. Drawn on the server so that the page needs no script of its own for it and shows it as a
 * {@code data:} image, which the admin port's Content-Security-Policy allows.
 */
final class QrSvg {
  /** Light modules around the code, as ISO/IEC 18004 asks for reliable scanning. */
  static final int QUIET_ZONE_MODULES = 4;

  private QrSvg() {}

  /** The SVG of {@code text} with error correction level M (15 %: enough for a screen, keeps the code small). */
  static String of(String text) {
    QRCode code;
    try {
      code = Encoder.encode(text, ErrorCorrectionLevel.M, Map.of(EncodeHintType.CHARACTER_SET, "UTF-8"));
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot draw a QR code of " + text.length() + " characters: "
          + e.getMessage(), e);
    }
    ByteMatrix m = code.getMatrix();
    int size = m.getWidth() + 2 * QUIET_ZONE_MODULES;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < m.getHeight(); y++) {
      int x = 0;
      while (x < m.getWidth()) {
        if (m.get(x, y) != 1) {
          x++;
          continue;
        }
        int start = x;
        while (x < m.getWidth() && m.get(x, y) == 1) {
          x++;
        }
        path.append('M').append(start + QUIET_ZONE_MODULES).append(' ').append(y + QUIET_ZONE_MODULES)
            .append('h').append(x - start).append("v1h-").append(x - start).append('z');
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
        + "\" shape-rendering=\"crispEdges\"><rect width=\"" + size + "\" height=\"" + size
        + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
  }
}
