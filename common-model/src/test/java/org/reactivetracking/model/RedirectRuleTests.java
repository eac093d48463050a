package org.reactivetracking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectRuleTests {

    private static final List<String> ALLOWED = List.of("https://allowed.com/", "https://shop.example.com/sale/",
            "http://example.com:8080/");

    /** Destinations a phishing link would try, each refused by the allow-list above. */
    static final List<String> HOSTILE = List.of("javascript:alert(1)", "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>", "//evil.com/", "//allowed.com/", "///evil.com",
            "/\\evil.com", "\\\\evil.com", "https:evil.com", "https:/evil.com", "https:///evil.com",
            "https:%2F%2Fevil.com", "https://allowed.com.evil.com/", "https://allowed.com@evil.com/",
            "https://evil.com@allowed.com/", "https://allowed.com:443@evil.com/", "https://allowed.com%40evil.com/",
            "https://allowed.com%2F@evil.com/", "https://evil.com\\@allowed.com/", "https://evil.com\\allowed.com/",
            "https://allowed.com\r\nLocation: https://evil.com/", "https://allowed.com/\r\nSet-Cookie: a=b",
            "https://allowed.com/\t", "https://allowed.com/ x", " https://allowed.com/",
            "https://allowed.com/\u0000", "https://allowed.com/caf\u00e9", "https://\u0430llowed.com/",
            "https://allowed.com./", "https://allowed.com:8443/", "http://allowed.com/", "ftp://allowed.com/",
            "https://%61llowed.com/", "https://allowed.com:0/", "https://allowed.com:99999/",
            "https://shop.example.com/sale", "https://shop.example.com/sale-evil/", "https://shop.example.com/",
            "https://shop.example.com/sale/../admin", "https://shop.example.com/sale/..;/admin",
            "https://shop.example.com/sale/.;x/../admin", "https://shop.example.com/sale/%2e%2e/admin",
            "https://shop.example.com/sale/%2E%2E/admin", "https://shop.example.com/sale/.%2e/admin",
            "https://shop.example.com/sale%2f..%2fadmin", "https://shop.example.com/sale/%5c..%5cadmin",
            "https://shop.example.com/SALE/", "http://example.com/", "https://example.com:8080/", "", "https://",
            "https://allowed.com/" + "a".repeat(RedirectRule.MAX_LENGTH));

    @Test
    void allowsDestinationsOnTheListByOriginAndPathPrefix() {
        for (String destination : List.of("https://allowed.com/", "https://allowed.com", "HTTPS://ALLOWED.COM/x",
                "https://allowed.com:443/a/b?c=d&e=%2F#f", "https://allowed.com/?next=https://evil.com/",
                "https://allowed.com/#@evil.com", "https://shop.example.com/sale/",
                "https://shop.example.com/sale/shoes?size=42", "http://example.com:8080/a",
                "https://allowed.com/a%20b",
                // CR LF still percent-encoded: part of the path on allowed.com, never a header line
                "https://allowed.com/%0d%0aSet-Cookie:%20a=b")) {
            assertThat(RedirectRule.requireAllowed(destination, ALLOWED)).as(destination)
                    .isEqualTo(URI.create(destination));
        }
    }

    @Test
    void refusesEveryHostileDestination() {
        List<String> allowed = new ArrayList<>();
        for (String destination : HOSTILE) {
            try {
                RedirectRule.requireAllowed(destination, ALLOWED);
                allowed.add(destination);
            }
            catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).as(destination).isNotBlank();
            }
        }
        assertThat(allowed).as("allowed, but should not be").isEmpty();
    }

    @Test
    void allowsNothingWithAnEmptyListOrEntriesBreakingTheRule() {
        assertThatThrownBy(() -> RedirectRule.requireAllowed("https://allowed.com/", List.of()))
                .hasMessageContaining("not on the program's redirect allow-list");
        // entries a hand-edited hash might hold: no path end, user information, not a URL
        assertThatThrownBy(() -> RedirectRule.requireAllowed("https://allowed.com/shop-evil/",
                List.of("https://allowed.com/shop", "https://x@allowed.com/", "allowed.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedirectRule.requireAllowed(null, ALLOWED)).hasMessageContaining("missing");
    }

    @Test
    void writesEntriesInCanonicalFormAndRefusesEntriesBreakingTheRule() {
        assertThat(RedirectRule.canonicalEntry("HTTPS://Shop.Example.COM:443")).isEqualTo("https://shop.example.com/");
        assertThat(RedirectRule.canonicalEntry("http://example.com:80/a/")).isEqualTo("http://example.com/a/");
        assertThat(RedirectRule.canonicalEntry("https://example.com:8443/a/")).isEqualTo("https://example.com:8443/a/");
        assertThat(RedirectRule.canonicalEntry("https://[::1]/")).isEqualTo("https://[::1]/");
        for (String entry : List.of("https://example.com/shop", "https://example.com/?q=1", "https://example.com/#f",
                "https://user@example.com/", "//example.com/", "example.com", "javascript:alert(1)/",
                "https://example.com/../", "https://exa mple.com/", "")) {
            assertThatThrownBy(() -> RedirectRule.canonicalEntry(entry)).as(entry)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
