package org.reactivetracking.tracking;

import java.util.List;

/**
 * Click destinations a phishing link would try against a program that allows {@code https://allowed.com/} and
 * {@code https://shop.example.com/sale/}: none may be redirected to. (The rule itself is tested case by case in
 * common-model's {@code RedirectRuleTests}; these go through the HTTP query decoding as well.)
 */
final class HostileDestinations {

    static final List<String> ALL = List.of("javascript:alert(1)", "JAVASCRIPT:alert(1)//https://allowed.com/",
            "data:text/html,<script>alert(1)</script>", "//evil.com/", "//allowed.com/", "///evil.com", "/\\evil.com",
            "\\\\evil.com", "https:evil.com", "https:/evil.com", "https:///evil.com", "https:%2F%2Fevil.com",
            "https://allowed.com.evil.com/", "https://allowed.com@evil.com/", "https://evil.com@allowed.com/",
            "https://allowed.com:443@evil.com/", "https://allowed.com%40evil.com/", "https://allowed.com%2F@evil.com/",
            "https://evil.com\\@allowed.com/", "https://evil.com\\allowed.com/",
            "https://allowed.com\r\nLocation: https://evil.com/", "https://allowed.com/\r\nSet-Cookie: a=b",
            "https://allowed.com/\t", "https://allowed.com/ x", " https://allowed.com/", "https://allowed.com/\u0000",
            "https://allowed.com/caf\u00e9", "https://\u0430llowed.com/", "https://allowed.com./",
            "https://allowed.com:8443/", "http://allowed.com/", "ftp://allowed.com/", "https://%61llowed.com/",
            "https://shop.example.com/sale", "https://shop.example.com/sale-evil/", "https://shop.example.com/",
            "https://shop.example.com/sale/../admin", "https://shop.example.com/sale/..;/admin",
            "https://shop.example.com/sale/.;x/../admin", "https://shop.example.com/sale/%2e%2e/admin",
            "https://shop.example.com/sale%2f..%2fadmin", "https://shop.example.com/SALE/", "https://evil.com/",
            "https://allowed.com/" + "a".repeat(2_100));

    private HostileDestinations() {
    }
}
