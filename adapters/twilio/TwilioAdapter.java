package twilio;

import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorCall;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.PermanentFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Customer SMS through Twilio's Messages API: {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}, form
 * fields {@code To}, {@code From}, {@code Body}, HTTP Basic with the Account SID and Auth Token. {@code From} is the
 * location's number (the {@code stores} map: sender number -> location). The customer's phone must make an E.164
 * number once spaces, dashes, dots and parentheses are dropped; a delivery platform's masked line with an access
 * code cannot take an SMS and is skipped.
 */
public class TwilioAdapter implements VendorAdapter {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    @Override
    public Optional<String> eventKey(Webhook webhook) {
        return Optional.empty();
    }

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        throw new PermanentFailure("twilio takes no events in");
    }

    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        return Optional.empty();
    }

    @Override
    public Optional<VendorCall> messageCall(CustomerMessage message, AdapterContext adapter) {
        Optional<String> to = e164(message.to());
        if (to.isEmpty() || message.from() == null || message.text() == null || message.text().isBlank()) {
            return Optional.empty();
        }
        String form = "To=" + enc(to.get()) + "&From=" + enc(message.from()) + "&Body=" + enc(message.text());
        return Optional.of(new VendorCall("POST", "/2010-04-01/Accounts/" + adapter.requiredSetting("client-id")
                + "/Messages.json", form, Map.of("Content-Type", "application/x-www-form-urlencoded")));
    }

    static Optional<String> e164(String phone) {
        if (phone == null) {
            return Optional.empty();
        }
        String digits = phone.trim().replaceAll("[\\s().-]", "");
        return E164.matcher(digits).matches() ? Optional.of(digits) : Optional.empty();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
