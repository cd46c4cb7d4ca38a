package io.smprotocol.downloads.runtime.tracking;

import java.io.IOException;
import java.io.Writer;
import java.util.Date;
import java.util.Iterator;
import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Projections;

/**
 * Downloads as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted when they hold a comma, a quote or a
 * line break), one line per download, written as the records are read so that an export of any size holds one
 * batch in memory.
 * <p>
 * Text a client chose (its user agent, the path it asked) is written so that a spreadsheet never runs it: a field
 * starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a leading {@code '}.
 */
public final class DownloadCsv {

    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("id", "path", "size", "etag", "ip", "userAgent", "country",
            "asn", "organization", "node", "startedAt", "endedAt", "lastActivityAt", "durationMs", "requests",
            "bytesSent", "coveredBytes", "percent", "completed", "deliveries", "endReason");

    /** Only the fields the columns need are read. */
    static final Bson PROJECTION = Projections.include("file.path", "file.size", "file.etag", "client.ip",
            "client.userAgent", "client.geo.countryCode", "client.network", "node", "startedAt", "endedAt",
            "lastActivityAt", "duration", "requests", "bytesSent", "coveredBytes", "percent", "completed",
            "endReason");

    /** Records read from MongoDB at a time. */
    static final int BATCH = 500;

    private DownloadCsv() {
    }

    /**
     * @param records the downloads, as documents of the {@code downloads} collection
     * @param out where the CSV goes; flushed by the caller
     * @return how many downloads were written
     * @throws IOException when the output fails (the client went away)
     */
    public static long write(Iterator<Document> records, Writer out) throws IOException {
        out.write(String.join(",", COLUMNS));
        out.write("\r\n");
        long lines = 0;
        StringBuilder line = new StringBuilder(256);
        while (records.hasNext()) {
            line.setLength(0);
            row(records.next(), line);
            out.append(line);
            lines++;
        }
        return lines;
    }

    static void row(Document record, StringBuilder line) {
        Document file = sub(record, "file");
        Document client = sub(record, "client");
        Document geo = sub(client, "geo");
        Document network = sub(client, "network");
        long size = number(file.get("size"));
        long bytes = number(record.get("bytesSent"));
        boolean completed = Boolean.TRUE.equals(record.get("completed"));
        long deliveries = size > 0 ? bytes / size : completed ? 1 : 0;
        text(line, record.get("_id"));
        text(line.append(','), file.get("path"));
        line.append(',').append(size);
        text(line.append(','), file.get("etag"));
        text(line.append(','), client.get("ip"));
        text(line.append(','), client.get("userAgent"));
        text(line.append(','), geo.get("countryCode"));
        plain(line.append(','), network.get("asn"));
        text(line.append(','), network.get("organization"));
        text(line.append(','), record.get("node"));
        plain(line.append(','), record.get("startedAt"));
        plain(line.append(','), record.get("endedAt"));
        plain(line.append(','), record.get("lastActivityAt"));
        plain(line.append(','), record.get("duration"));
        line.append(',').append(number(record.get("requests")));
        line.append(',').append(bytes);
        line.append(',').append(number(record.get("coveredBytes")));
        plain(line.append(','), record.get("percent"));
        line.append(',').append(completed);
        line.append(',').append(deliveries);
        plain(line.append(','), record.get("endReason"));
        line.append("\r\n");
    }

    private static Document sub(Document parent, String key) {
        return parent.get(key) instanceof Document child ? child : new Document();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** A value that never needs quoting: a number, an instant, an enum name, or nothing. */
    private static void plain(StringBuilder line, Object value) {
        if (value instanceof Date date) {
            line.append(date.toInstant());
        } else if (value != null) {
            line.append(value);
        }
    }

    private static void text(StringBuilder line, Object value) {
        if (value == null) {
            return;
        }
        String text = String.valueOf(value);
        boolean formula = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
        boolean quote = formula || text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        if (!quote) {
            line.append(text);
            return;
        }
        line.append('"');
        if (formula) {
            line.append('\'');
        }
        line.append(text.replace("\"", "\"\"")).append('"');
    }
}
