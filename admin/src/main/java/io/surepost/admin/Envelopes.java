package io.surepost.admin;

import io.surepost.message.SoapMessage;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An envelope as text for an operator: decoded in the charset its Content-Type names, UTF-8 when it names none. */
final class Envelopes {

    private static final Pattern CHARSET = Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);

    private Envelopes() {
    }

    static String text(SoapMessage message) {
        return new String(message.envelope(), charset(message.contentType()));
    }

    static Charset charset(String contentType) {
        Matcher m = CHARSET.matcher(contentType == null ? "" : contentType);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1).toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
