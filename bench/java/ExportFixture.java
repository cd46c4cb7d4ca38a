import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB stand-in in a process of its own, holding COUNT download records shaped as the tracker writes them, for
 * bench/export-memory.sh: the export's memory is then the demo's alone. Prints "ready" once filled, then serves until
 * killed. Arguments: PORT COUNT.
 */
public class ExportFixture {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
            MongoCollection<Document> downloads = client.getDatabase("smprotocol").getCollection("downloads");
            Instant start = Instant.parse("2026-11-01T00:00:00Z");
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Instant startedAt = start.plusSeconds(i);
                boolean completed = i % 3 != 0;
                long size = 1_000_000L + i % 1000;
                long sent = completed ? size : size / 3;
                batch.add(new Document("_id", "bench-" + i)
                        .append("file", new Document("path", "/releases/file-" + (i % 500) + ".iso").append("size", size)
                                .append("etag", "\"" + Long.toHexString(size) + "\""))
                        .append("client", new Document("ip", "198.51.100." + (i % 250))
                                .append("userAgent", "curl/7.88." + (i % 10))
                                .append("geo", new Document("countryCode", "FR"))
                                .append("network", new Document("asn", 64496 + i % 10).append("organization", "Example")))
                        .append("node", "bench").append("startedAt", startedAt)
                        .append("endedAt", startedAt.plusSeconds(4)).append("lastActivityAt", startedAt.plusSeconds(4))
                        .append("duration", 4000L).append("requests", 1 + i % 3).append("bytesSent", sent)
                        .append("coveredBytes", sent).append("percent", 100.0 * sent / size)
                        .append("completed", completed).append("endReason", completed ? "COMPLETED" : "CLIENT_ABORTED"));
                if (batch.size() == 1000) {
                    downloads.insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                downloads.insertMany(batch);
            }
        }
        System.out.println("ready");
        Thread.currentThread().join();
    }
}
