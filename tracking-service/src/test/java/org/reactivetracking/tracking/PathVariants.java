package org.reactivetracking.tracking;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Spellings of a path that a router, a decoder or a proxy might take for the path itself, or for another: matrix
 * parameters, percent-encoded letters and slashes, case, extra and trailing slashes, dot segments, overlong parts,
 * encoded non-ASCII and control characters, broken percent-encoding, queries and the absolute form. Each is sent as
 * is (the request target of a raw request).
 */
final class PathVariants {

    private PathVariants() {
    }

    /** @param path a route's path, e.g. {@code /cache/purge} */
    static List<String> of(String path) {
        List<String> segments = List.of(path.substring(1).split("/"));
        Set<String> variants = new LinkedHashSet<>();
        for (int i = 0; i < segments.size(); i++) {
            for (String parameter : List.of(";x=1", ";", ";jsessionid=0", ";a=b;c=d")) {
                variants.add(withSegment(segments, i, segments.get(i) + parameter));
            }
            variants.add(withSegment(segments, i, encodeFirstLetter(segments.get(i), "%%%02x")));
            variants.add(withSegment(segments, i, encodeFirstLetter(segments.get(i), "%%%02X")));
            variants.add(withSegment(segments, i, encodeAll(segments.get(i))));
            variants.add(withSegment(segments, i, segments.get(i).toUpperCase(Locale.ROOT)));
            variants.add(withSegment(segments, i, capitalize(segments.get(i))));
            variants.add(withSegment(segments, i, segments.get(i) + "%00"));
        }
        String rest = path.substring(1);
        variants.add("/" + segments.stream().map(PathVariants::encodeAll).collect(Collectors.joining("/")));
        variants.add(path.toUpperCase(Locale.ROOT));
        // encoded slashes
        variants.add("/" + String.join("%2F", segments));
        variants.add("/" + String.join("%2f", segments));
        variants.add("%2F" + String.join("%2F", segments));
        variants.add("/" + String.join("%5C", segments));
        variants.add("/" + String.join("\\", segments));
        // extra and trailing slashes
        variants.add("/" + path);
        variants.add("/" + String.join("//", segments));
        variants.add(path + "/");
        variants.add(path + "//");
        // dot segments, plain and encoded
        variants.add("/event/.." + path);
        variants.add("/x/.." + path);
        variants.add("/." + path);
        variants.add(path + "/.");
        variants.add(path + "/..");
        variants.add("/" + segments.get(0) + "/./" + rest.substring(segments.get(0).length()).replaceFirst("^/", ""));
        variants.add("/event/%2e%2e" + path);
        variants.add("/event/%2E%2E" + path);
        variants.add("/event/.%2e" + path);
        variants.add("/event/%2e%2e%2f" + rest);
        variants.add("/%2e" + path);
        variants.add("/event/..;" + path);
        // overlong
        variants.add(path + "/" + "a".repeat(5_000));
        variants.add(path + "?" + "q".repeat(5_000));
        variants.add("/" + "a".repeat(2_000) + "/.." + path);
        variants.add(path + "/" + "b".repeat(1_000));
        // non-ASCII and control characters, percent-encoded
        variants.add(path + "%C3%A9");
        variants.add(path + "%E2%80%AE");
        variants.add(path + "%FF");
        variants.add(path + "%0d%0aX-Api-Key:%20" + EngineBackedTests.API_KEY);
        variants.add(path + "%09");
        variants.add(path + "%20");
        variants.add(path + "%7F");
        // broken percent-encoding
        variants.add(path + "%zz");
        variants.add(path + "%");
        variants.add(path + "%2");
        variants.add("/%zz" + path);
        variants.add("/" + segments.get(0) + "%" + path.substring(1 + segments.get(0).length()));
        // queries, fragments, the absolute form
        variants.add(path + "?X-Api-Key=" + EngineBackedTests.API_KEY);
        variants.add(path + "?");
        variants.add(path + "#fragment");
        variants.add("http://localhost" + path);
        variants.add("http://localhost" + path + ";x=1");
        variants.remove(path);
        return new ArrayList<>(variants);
    }

    private static String withSegment(List<String> segments, int index, String replacement) {
        List<String> changed = new ArrayList<>(segments);
        changed.set(index, replacement);
        return "/" + String.join("/", changed);
    }

    private static String encodeFirstLetter(String segment, String format) {
        for (int i = 0; i < segment.length(); i++) {
            if (Character.isLetter(segment.charAt(i))) {
                return segment.substring(0, i) + String.format(format, (int) segment.charAt(i))
                        + segment.substring(i + 1);
            }
        }
        return segment;
    }

    private static String encodeAll(String segment) {
        return segment.chars().mapToObj(c -> String.format("%%%02X", c)).collect(Collectors.joining());
    }

    private static String capitalize(String segment) {
        return segment.isEmpty() ? segment : Character.toUpperCase(segment.charAt(0)) + segment.substring(1);
    }
}
