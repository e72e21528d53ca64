package io.orderhub.adapter;

import io.orderhub.signature.SignatureScheme;
import java.util.Optional;

/** One loaded adapter: its descriptor, its Java, its context and its webhook signature scheme. */
public record Adapter(AdapterDescriptor descriptor, VendorAdapter vendor, AdapterContext context,
                      SignatureScheme signature) {

    public String id() {
        return descriptor.id();
    }

    /** True when the vendor sends orders or events in (a webhook signature scheme, or polling). */
    public boolean takesEventsIn() {
        return descriptor.signature() != null
                || (descriptor.polling() != null && Boolean.TRUE.equals(descriptor.polling().enabled()));
    }

    /** The shared secret of the signature scheme, from setting {@code signing-secret}. */
    public Optional<SignatureScheme.Secret> secret() {
        return context.setting("signing-secret").map(value -> new SignatureScheme.Secret(value,
                descriptor.signature() == null || descriptor.signature().tolerance() == null ? null
                        : org.springframework.boot.convert.DurationStyle.detectAndParse(
                                descriptor.signature().tolerance())));
    }
}
