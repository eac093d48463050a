package org.reactivetracking.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The one rule for click redirects: which destinations a program's allow-list lets {@code GET /click/{programId}}
 * redirect to. An entry is an absolute {@code http} or {@code https} URL whose path ends with {@code /}, without user
 * information, query or fragment: {@code https://shop.example.com/} or {@code https://example.com:8443/spring-sale/}.
 * A destination is allowed when its scheme, host and port (the scheme's default when absent) equal an entry's, and
 * its path starts with the entry's path (so, whole segments: {@code /spring-sale/} never covers
 * {@code /spring-sale-evil/}).
 * <p>
 * A destination or entry is refused outright when it is anything but printable ASCII without spaces (control
 * characters, CR/LF, non-ASCII: a browser would re-read them), holds a backslash (browsers take it for a slash),
 * carries user information ({@code https://allowed.com@evil.com/}), is relative or protocol-relative
 * ({@code //evil.com}), names no host ({@code https:evil.com}), uses another scheme ({@code javascript:}), or has
 * a dot segment or an encoded slash, backslash or dot in its path (which browsers or servers would resolve to
 * another path than the one compared).
 */
public final class RedirectRule {

    /** The most entries a program's allow-list may hold. */
    public static final int MAX_ENTRIES = 64;
    /** The longest destination or entry, in characters. */
    public static final int MAX_LENGTH = 2048;

    private RedirectRule() {
    }

    /**
     * @return the entry in canonical form: scheme and host in lower case, the port only when it is not the scheme's
     *         default
     * @throws IllegalArgumentException naming the reason, when the entry breaks the rule
     */
    public static String canonicalEntry(String entry) {
        Url url = parse(entry, "allow-list entry");
        if (url.uri().getRawQuery() != null || url.uri().getRawFragment() != null) {
            throw new IllegalArgumentException("allow-list entry must have no query or fragment");
        }
        if (!url.path().endsWith("/")) {
            throw new IllegalArgumentException("allow-list entry's path must end with '/'");
        }
        boolean defaultPort = url.port() == defaultPort(url.scheme());
        return url.scheme() + "://" + url.host() + (defaultPort ? "" : ":" + url.port()) + url.path();
    }

    /**
     * @return the destination, to be sent as it was given
     * @throws IllegalArgumentException naming the reason, when the destination is malformed or not allowed by any
     *                                  entry
     */
    public static URI requireAllowed(String destination, List<String> allowList) {
        Url url = parse(destination, "destination");
        for (String entry : allowList) {
            if (covers(entry, url)) {
                return url.uri();
            }
        }
        throw new IllegalArgumentException("destination is not on the program's redirect allow-list");
    }

    private static boolean covers(String entry, Url destination) {
        Url allowed;
        try {
            allowed = parse(entry, "allow-list entry");
        }
        catch (IllegalArgumentException ex) {
            // an entry that breaks the rule (a hash edited by hand) allows nothing
            return false;
        }
        return allowed.path().endsWith("/") && allowed.scheme().equals(destination.scheme())
                && allowed.host().equals(destination.host()) && allowed.port() == destination.port()
                && destination.path().startsWith(allowed.path());
    }

    private static Url parse(String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " missing");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException(what + " must be printable ASCII without spaces"
                        + " (percent-encode anything else)");
            }
            if (c == '\\') {
                throw new IllegalArgumentException(what + " must not contain a backslash");
            }
        }
        URI uri;
        try {
            uri = new URI(text);
        }
        catch (URISyntaxException ex) {
            throw new IllegalArgumentException(what + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException(what + " must be an absolute http or https URL");
        }
        if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new IllegalArgumentException(what + " must not carry user information");
        }
        if (uri.getHost() == null || uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException(what + " must name a host (and a port in 1-65535)");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        requirePlainPath(path, what);
        int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
        return new Url(uri, scheme, uri.getHost().toLowerCase(Locale.ROOT), port, path);
    }

    private static void requirePlainPath(String path, String what) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e")) {
            throw new IllegalArgumentException(what + "'s path must not encode a slash, backslash or dot");
        }
        for (String segment : path.split("/", -1)) {
            // "..;x" too: servlet containers drop a segment's parameters before resolving dot segments
            String name = segment.indexOf(';') < 0 ? segment : segment.substring(0, segment.indexOf(';'));
            if (name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException(what + "'s path must not hold dot segments");
            }
        }
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** A parsed URL: the scheme and host in lower case, the effective port, the raw path ({@code /} when empty). */
    private record Url(URI uri, String scheme, String host, int port, String path) {
    }
}
