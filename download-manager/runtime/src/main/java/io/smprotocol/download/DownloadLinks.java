package io.smprotocol.download;

/**
 * Signs links to files of the download manager, for {@code quarkus.smprotocol.download.signed-links.*}. Inject it
 * where the application hands out links:
 *
 * <pre>
 * &#64;Inject
 * DownloadLinks links;
 *
 * String link(String path) {
 *     long expires = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
 *     return "https://files.example.org" + encoded(path) + "?" + links.signQuery(path, expires);
 * }
 * </pre>
 */
public interface DownloadLinks {

    /**
     * @param path the decoded request path, with its leading slash, e.g. {@code /docs/a b.pdf}
     * @param expiresEpochSecond when the link expires, in seconds since the epoch
     * @return the query string that makes the link valid until then ({@code expires=...&signature=...})
     * @throws IllegalStateException when signed links are not enabled
     */
    String signQuery(String path, long expiresEpochSecond);
}
